"""The Bluesky adapter against a real PDS (``@atproto/dev-env``, see conftest.py): what the
unit tests fake at the HTTP boundary, here answered by the server software itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import uuid
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from django.utils import translation
from PIL import Image

from channels_app.adapters.base import ChannelContext
from channels_app.adapters.base import MediaItem
from channels_app.adapters.base import MediaKind
from channels_app.adapters.base import PostContent
from channels_app.adapters.base import RemoteComment
from channels_app.adapters.bluesky import POST
from channels_app.adapters.bluesky import THREADGATE
from channels_app.adapters.bluesky import BlueskyAdapter
from channels_app.adapters.bluesky import deterministic_tid
from channels_app.adapters.errors import AuthenticationError
from channels_app.adapters.errors import ContentRejectedError
from channels_app.adapters.errors import NotSupportedError
from tests.channels_app.adapters.test_bluesky import RICHTEXT_LINKS
from tests.platforms.bluesky.conftest import NODE
from tests.platforms.bluesky.conftest import Account
from tests.platforms.bluesky.conftest import Pds

# @atproto/dev-env signs the PDS's session tokens with this secret (its const.ts).
DEV_ENV_JWT_SECRET = b"jwt-secret"
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 1 grapheme, 25 bytes


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def account(pds: Pds) -> Account:
    return pds.create_account("rathaus")


def connect(pds: Pds, account: Account, app_password: str = "") -> BlueskyAdapter:
    """Connect as a person does (handle + app password), then the channel's adapter."""
    choice = BlueskyAdapter.connect_with_form(
        base_url=pds.url,
        values={
            "handle": account.handle,
            "app_password": app_password or pds.app_password(account),
        },
        session=requests.Session(),
    )
    return BlueskyAdapter(
        ChannelContext(platform="bluesky", account_id=choice.account_id, base_url=pds.url),
        choice.credentials,
    )


def rkey_of(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def test_connect_with_an_app_password(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    assert adapter.credentials["did"] == account.did
    info = adapter.test_connection()  # no AppView on this PDS: must not be needed
    assert (info.account_id, info.handle) == (account.did, "@" + account.handle)


def test_wrong_app_password_on_the_first_connect(pds: Pds, account: Account) -> None:
    with pytest.raises(AuthenticationError, match="Wrong handle or app password"):
        connect(pds, account, app_password="abcd-efgh-ijkl-mnop")


def test_appview_methods_are_not_available_on_this_server(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    for read in (adapter.fetch_account_metrics, lambda: adapter.fetch_comments(None)):
        with pytest.raises(NotSupportedError, match="not available on this server"):
            read()


def test_publish_retry_with_the_same_key_makes_one_record(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    planned = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    content = PostContent(text="Frohe Weihnachten aus dem Rathaus!", planned_at=planned)
    key = str(uuid.uuid4())
    first = adapter.publish(content, key)
    again = adapter.publish(content, key)
    assert again.remote_id == first.remote_id
    assert rkey_of(first.remote_id) == deterministic_tid(key, planned_at=planned)
    assert len(pds.records(account.did, POST)) == 1
    assert adapter.find_published(content, key) is not None


def test_facets_are_accepted_and_stored(pds: Pds, account: Account) -> None:
    other = pds.create_account("erika")
    adapter = connect(pds, account)
    text = f"Grüße an @{other.handle}: musterstadt.de/termine und #Bürgerbüro 👩‍👩‍👧‍👦"
    result = adapter.publish(PostContent(text=text), str(uuid.uuid4()))
    record = pds.record(account.did, POST, rkey_of(result.remote_id))
    assert record is not None
    data = text.encode()
    spans = {
        data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"][0]
        for f in record["value"]["facets"]
    }
    assert spans["@" + other.handle]["did"] == other.did  # resolved by this PDS
    assert spans["musterstadt.de/termine"]["uri"] == "https://musterstadt.de/termine"
    assert spans["#Bürgerbüro"]["tag"] == "Bürgerbüro"


def test_links_match_the_bluesky_richtext_library(installation: Path) -> None:
    """The unit tests' expected links are what @atproto/api's detectFacets gives."""
    script = (
        "import { RichText } from '@atproto/api';"
        "const texts = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(texts.map((text) => {"
        " const rt = new RichText({ text }); rt.detectFacetsWithoutResolution();"
        " return (rt.facets || []).filter((f) => f.features[0].$type.endsWith('#link'))"
        "  .map((f) => [f.index.byteStart, f.index.byteEnd, f.features[0].uri]); })))"
    )
    texts = [text for text, _links in RICHTEXT_LINKS]
    output = subprocess.run(
        [str(NODE), "--input-type=module", "-e", script, json.dumps(texts)],
        cwd=installation,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [[tuple(link) for link in found] for found in json.loads(output)] == [
        links for _text, links in RICHTEXT_LINKS
    ]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("a" * 300, True),
        ("a" * 301, False),  # 301 graphemes
        (FAMILY * 120, True),  # 120 graphemes, 3,000 bytes
        (FAMILY * 120 + "a", False),  # 3,001 bytes
    ],
)
def test_length_limits_as_the_pds_enforces_them(
    pds: Pds, account: Account, text: str, accepted: bool
) -> None:
    adapter = connect(pds, account)
    content = PostContent(text=text)
    assert (not adapter.validate(content)) is accepted
    if accepted:
        adapter.publish(content, str(uuid.uuid4()))
    else:
        with pytest.raises(ContentRejectedError):
            adapter.publish(content, str(uuid.uuid4()))
    assert len(pds.records(account.did, POST)) == int(accepted)


def test_image_with_alt_text(pds: Pds, account: Account, tmp_path: Path) -> None:
    path = tmp_path / "rathaus.png"
    Image.new("RGB", (64, 48), (20, 80, 160)).save(path, "PNG")
    image = MediaItem(
        path=str(path),
        mime_type="image/png",
        kind=MediaKind.IMAGE,
        size=path.stat().st_size,
        alt_text="Das Rathaus von Musterstadt",
        width=64,
        height=48,
    )
    adapter = connect(pds, account)
    result = adapter.publish(PostContent(text="Das Rathaus", media=(image,)), str(uuid.uuid4()))
    record = pds.record(account.did, POST, rkey_of(result.remote_id))
    assert record is not None
    embedded = record["value"]["embed"]["images"][0]
    assert embedded["alt"] == "Das Rathaus von Musterstadt"
    assert embedded["aspectRatio"] == {"width": 64, "height": 48}
    blob = pds.http.get(
        f"{pds.url}/xrpc/com.atproto.sync.getBlob",
        params={"did": account.did, "cid": embedded["image"]["ref"]["$link"]},
        timeout=30,
    )
    assert blob.content == path.read_bytes()


def test_delete(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    result = adapter.publish(PostContent(text="Gleich wieder weg"), str(uuid.uuid4()))
    adapter.delete(result.remote_id)
    assert pds.record(account.did, POST, rkey_of(result.remote_id)) is None


def test_hide_a_reply_with_a_threadgate(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    root = adapter.publish(PostContent(text="Fragen zur Baustelle?"), str(uuid.uuid4()))
    root_record = pds.record(account.did, POST, rkey_of(root.remote_id))
    assert root_record is not None
    ref = {"uri": root.remote_id, "cid": root_record["cid"]}
    other = pds.create_account("spam")
    reply = pds.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        other.access_jwt,
        json={
            "repo": other.did,
            "collection": POST,
            "record": {
                "$type": POST,
                "text": "Kauft billige Uhren!",
                "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "reply": {"root": ref, "parent": ref},
            },
        },
    )
    comment = RemoteComment(
        remote_id=reply["uri"],
        post_remote_id=root.remote_id,
        author_name=other.handle,
        author_id=other.did,
        text="Kauft billige Uhren!",
        created_at=None,
    )
    adapter.hide_comment(comment)
    adapter.hide_comment(comment)  # twice: still hidden once
    gate = pds.record(account.did, THREADGATE, rkey_of(root.remote_id))
    assert gate is not None
    assert gate["value"]["hiddenReplies"] == [reply["uri"]]
    assert gate["value"]["post"] == root.remote_id


def expired(token: str) -> str:
    """The same session token with its expiry in the past, signed as the PDS signs it."""
    header, payload, _signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "=="))["alg"] == "HS256"
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["exp"] = int(datetime.now(UTC).timestamp()) - 60

    def encode(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signed = f"{header}.{encode(json.dumps(claims).encode())}"
    signature = hmac.new(DEV_ENV_JWT_SECRET, signed.encode(), hashlib.sha256).digest()
    return f"{signed}.{encode(signature)}"


def test_an_expired_access_token_is_renewed(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    old_refresh = adapter.credentials["refresh_token"]
    adapter.credentials["access_token"] = expired(adapter.credentials["access_token"])
    adapter.publish(PostContent(text="Nach dem Ablauf"), str(uuid.uuid4()))
    assert adapter.credentials["refresh_token"] != old_refresh
    assert len(pds.records(account.did, POST)) == 1


def test_a_revoked_app_password_needs_a_reconnect(pds: Pds, account: Account) -> None:
    app_password = pds.app_password(account, "widerrufen")
    adapter = connect(pds, account, app_password)
    pds.xrpc(
        "POST",
        "com.atproto.server.revokeAppPassword",
        account.access_jwt,
        json={"name": "widerrufen"},
    )
    adapter.credentials["access_token"] = expired(adapter.credentials["access_token"])
    with pytest.raises(AuthenticationError, match="reconnect the channel"):
        adapter.publish(PostContent(text="Nicht mehr erlaubt"), str(uuid.uuid4()))
    assert pds.records(account.did, POST) == []


def test_an_ended_session_is_replaced_with_the_app_password(pds: Pds, account: Account) -> None:
    adapter = connect(pds, account)
    adapter.revoke()  # deleteSession: the refresh token is revoked
    adapter.credentials["access_token"] = expired(adapter.credentials["access_token"])
    adapter.publish(PostContent(text="Mit neuer Sitzung"), str(uuid.uuid4()))
    assert len(pds.records(account.did, POST)) == 1
