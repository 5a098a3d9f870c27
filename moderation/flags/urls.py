from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

from moderation.flags import api
from moderation.flags import views

app_name = "flags"

# Pages below /moderation/flags/
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "moderation/flags/",
        include(
            [
                path("", views.FlagsIndexView.as_view(), name="index"),
                path("units/<int:unit_id>/", views.UnitRulesView.as_view(), name="unit"),
                path(
                    "units/<int:unit_id>/alerts/",
                    views.KeywordAlertCreateView.as_view(),
                    name="alert_create",
                ),
                path(
                    "alerts/<int:pk>/delete/",
                    views.KeywordAlertDeleteView.as_view(),
                    name="alert_delete",
                ),
                path(
                    "units/<int:unit_id>/lexicon/",
                    views.LexiconEntryCreateView.as_view(),
                    name="lexicon_create",
                ),
                path(
                    "lexicon/<int:pk>/delete/",
                    views.LexiconEntryDeleteView.as_view(),
                    name="lexicon_delete",
                ),
                path("lexicon/", views.BaseLexiconView.as_view(), name="base_lexicon"),
                path("<int:pk>/dismiss/", views.FlagDismissView.as_view(), name="dismiss"),
            ]
        ),
    ),
]

# API below /api/v1/
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("keyword-alerts/", api.KeywordAlertListView.as_view(), name="keyword-alert-list"),
    path(
        "keyword-alerts/<int:pk>/",
        api.KeywordAlertDetailView.as_view(),
        name="keyword-alert-detail",
    ),
    path("lexicon-entries/", api.LexiconEntryListView.as_view(), name="lexicon-entry-list"),
    path(
        "lexicon-entries/<int:pk>/",
        api.LexiconEntryDetailView.as_view(),
        name="lexicon-entry-detail",
    ),
    path("inbox-items/<int:pk>/flags/", api.ItemFlagListView.as_view(), name="item-flags"),
    path("flags/<int:pk>/dismiss/", api.FlagDismissView.as_view(), name="flag-dismiss"),
    path("insult-classifiers/", api.InsultClassifierListView.as_view(), name="classifier-list"),
]
