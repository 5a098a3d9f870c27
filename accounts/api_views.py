"""The API's action on one object, written once: ``POST …/<pk>/<verb>/``.

Every such operation does the same four steps in the same order: find the object among
those the caller may see (404 before anything else), read the body (400), call one service
(which checks the permission and the rules) and answer with the object as it is now. A view
names its serializers and writes the two steps of its own, ``target`` and ``act``; the
OpenAPI operation is documented from the same attributes, so the schema cannot drift from
what the view does.
"""

from __future__ import annotations

from typing import Any
from typing import ClassVar
from typing import Generic
from typing import TypeVar

from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from accounts.http import AuthenticatedRequest

T = TypeVar("T")


def valid_body(
    serializer_class: type[BaseSerializer],
    request: Request,
    /,
    *,
    partial: bool = False,
    **context: Any,
) -> dict[str, Any]:
    """The request body read by ``serializer_class`` (with ``context``, if any; ``partial``:
    the fields left out keep their values); a 400 naming the fields otherwise."""
    serializer = serializer_class(data=request.data, partial=partial, context=context)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ObjectActionView(APIView, Generic[T]):
    # No docstring on purpose: the schema takes an operation's description from its view's
    # docstring, inherited ones included. ``body``: the request's serializer (``None``: no
    # body); ``answer``: the response's, sent with ``answer_status``.

    body: ClassVar[type[BaseSerializer] | None] = None
    answer: ClassVar[type[BaseSerializer]]
    answer_status: ClassVar[int] = 200
    request: AuthenticatedRequest

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "answer"):
            extend_schema_view(
                post=extend_schema(request=cls.body, responses={cls.answer_status: cls.answer})
            )(cls)

    def target(self, pk: int) -> T:
        """The object, or ``Http404`` when the caller may not see it."""
        raise NotImplementedError

    def act(self, target: T, data: dict[str, Any]) -> T:
        """Call the service with the object and the body's data; return the result."""
        raise NotImplementedError

    def respond(self, result: T) -> Response:
        return Response(self.answer(result).data, status=self.answer_status)

    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        target = self.target(pk)
        data = valid_body(self.body, request) if self.body is not None else {}
        return self.respond(self.act(target, data))
