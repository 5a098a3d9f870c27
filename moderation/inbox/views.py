"""Placeholder until the inbox feature lands (keeps the navigation's URL resolvable)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "moderation/inbox/index.html"
