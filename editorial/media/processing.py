"""Checking and cleaning uploaded files (no database): real format, pixel limits,
metadata stripped, captions checked; and the platform-sized derivatives of images.

What an upload must pass, in order: size (also enforced while the request arrives, see
``editorial.media.upload``), real format from the content (Pillow for images, container
signature for videos), pixel count (decompression bombs). Images are then re-encoded without
any metadata; MP4/MOV videos have their metadata boxes blanked in place."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
import tempfile
import warnings
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError

from editorial.media.upload import media_max_upload_bytes
from editorial.models import MediaAsset

METADATA_FIELDS = (
    "alt_text",
    "caption",
    "credit",
    "license",
    "rights_note",
    "rights_valid_until",
)

JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
MP4, QUICKTIME, WEBM = "video/mp4", "video/quicktime", "video/webm"
# Pillow's format name → MIME type. MPO is what many phone cameras write: a JPEG with a second
# (depth or preview) picture appended; it is kept as the plain JPEG of its first picture.
IMAGE_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "GIF": GIF, "WEBP": WEBP}
FILE_EXTENSIONS = {JPEG: "jpg", PNG: "png", GIF: "gif", WEBP: "webp", MP4: "mp4"}
FILE_EXTENSIONS |= {QUICKTIME: "mov", WEBM: "webm"}
# Animations are re-encoded frame by frame (APNG, WebP): cap the total work.
ANIMATION_PIXEL_FACTOR = 4
CAPTIONS_MAX_BYTES = 2 * 1024 * 1024


# --- Messages -------------------------------------------------------------------------------


def _msg_not_media(name: str) -> str:
    return _(
        "“%(name)s” is not an image or video the media library can use, whatever its name"
        " says. Accepted are JPEG, PNG, GIF and WebP images and MP4, MOV and WebM videos."
    ) % {"name": name}


def _msg_too_large() -> str:
    return _(
        "The file is larger than %(mb)d MB, the most the media library accepts. Please upload"
        " a smaller or more compressed version."
    ) % {"mb": settings.MEDIA_MAX_UPLOAD_MB}


def _msg_too_many_pixels(width: int, height: int) -> str:
    return _(
        "The image has %(width)d by %(height)d pixels, more than the %(max).0f million pixels"
        " accepted (it could be a “decompression bomb” that exhausts the server's memory)."
        " Please scale it down before uploading."
    ) % {"width": width, "height": height, "max": settings.MEDIA_MAX_IMAGE_PIXELS / 1e6}


def _msg_bomb() -> str:
    return _(
        "The image declares an extreme size and was refused as a possible “decompression"
        " bomb”. Please scale it down before uploading."
    )


def _msg_damaged() -> str:
    return _("The image file is damaged or incomplete and cannot be read.")


# What Pillow raises for broken files (truncated data, bad chunks, impossible values).
_DAMAGED = (OSError, ValueError, SyntaxError, struct.error, IndexError, EOFError, TypeError)


def media_upload_too_large_message() -> str:
    """The message for an upload the limit handler stopped (views show it on the file field)."""
    return _msg_too_large()


# --- Format detection -----------------------------------------------------------------------


class RefusedError(Exception):
    """Internal: the file was looked at and refused with this (translated) message."""


@dataclass(frozen=True)
class _Processed:
    """The file as it will be stored."""

    kind: str
    mime_type: str
    file: IO[bytes]
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


@contextlib.contextmanager
def pillow_guard() -> Iterator[None]:
    """Pillow warns (``DecompressionBombWarning``) above its own ``MAX_IMAGE_PIXELS`` and
    raises above twice that; both become a refusal here. ``catch_warnings`` makes that
    independent of the global warnings filter (``-W error`` in tests, "default" elsewhere);
    Pillow's other warnings (odd EXIF data) do not matter for files whose metadata is
    dropped anyway."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise RefusedError(_msg_bomb()) from None


def open_image(source: IO[bytes]) -> Image.Image:
    """Open (reads the header only) and check the pixel count before anything is decoded.

    Use the result in ``with``: ``Image.close()`` would also close ``source``, which belongs
    to the caller; leaving the block only releases what Pillow opened itself."""
    with pillow_guard():
        image = Image.open(source)
    width, height = image.size
    if width * height > settings.MEDIA_MAX_IMAGE_PIXELS:
        raise RefusedError(_msg_too_many_pixels(width, height))
    return image


def decode_image(image: Image.Image) -> None:
    with pillow_guard():
        image.load()


def _probe_image(source: IO[bytes]) -> str | None:
    """The image MIME type if Pillow recognises and verifies the content, else ``None``.

    ``verify()`` walks the data without decoding the pixels (cheap, and finds truncated or
    corrupt files); it leaves the image unusable, so processing reopens the file."""
    source.seek(0)
    try:
        image = open_image(source)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        return None
    with image:
        image_format = image.format or ""
        if image_format not in IMAGE_FORMATS:
            return None
        try:
            with pillow_guard():
                image.verify()
        except _DAMAGED:
            raise RefusedError(_msg_damaged()) from None
    return IMAGE_FORMATS[image_format]


# ISO base media file format (MP4, MOV): the first box is "ftyp" with the major brand and a
# list of compatible brands. HEIF/AVIF images use the same container: refused as videos.
_VIDEO_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso8", b"iso9", b"mp41", b"mp42",
    b"mp71", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"dash", b"mmp4", b"MSNV", b"XAVC", b"qt  ",
}  # fmt: skip
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def _probe_video(source: IO[bytes]) -> str | None:
    source.seek(0)
    head = source.read(4096)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        # EBML: Matroska and WebM share it; only the DocType "webm" is a format platforms take.
        return WEBM if b"\x42\x82\x84webm" in head else None
    if len(head) >= 16 and head[4:8] == b"ftyp":
        box_size = int.from_bytes(head[:4], "big")
        major = head[8:12]
        if major in _IMAGE_BRANDS:
            return None
        compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
        if major in _VIDEO_BRANDS or compatible & _VIDEO_BRANDS:
            return QUICKTIME if major == b"qt  " else MP4
    return None


# --- Images ---------------------------------------------------------------------------------


def _gif_sub_blocks_end(data: bytes, pos: int) -> int:
    while pos < len(data):
        length = data[pos]
        pos += 1
        if length == 0:
            return pos
        pos += length
    return len(data)


def _gif_without_metadata(data: bytes) -> bytes:
    """Copy a GIF block by block, leaving out comments, plain-text and application extensions
    (XMP lives in one) except the looping ones.

    Frames are copied byte for byte: an animated GIF stays exactly as animated as it was, with
    no loss from re-quantising its palette (which re-encoding with Pillow would do)."""
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = bytearray(data[:pos])
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:  # trailer; anything appended after it is dropped too
            break
        if block == 0x21:  # extension: label, then sub-blocks
            label = data[pos + 1]
            end = _gif_sub_blocks_end(data, pos + 2)
            keep = label == 0xF9  # graphic control: frame delay, disposal, transparency
            if label == 0xFF:
                keep = data[pos + 3 : pos + 14] in (b"NETSCAPE2.0", b"ANIMEXTS1.0")
            if keep:
                out += data[pos:end]
            pos = end
        elif block == 0x2C:  # image descriptor, optional local colour table, LZW data
            local = data[pos + 9] if pos + 9 < len(data) else 0
            start = pos + 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
            end = _gif_sub_blocks_end(data, start)
            out += data[pos:end]
            pos = end
        else:
            raise RefusedError(_msg_damaged())
    out.append(0x3B)
    return bytes(out)


def has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _process_image(source: IO[bytes], mime_type: str) -> _Processed:
    """Re-encode without EXIF (GPS), XMP, IPTC and comments; keep orientation and colours.

    ``exif_transpose`` first turns the pixels as the EXIF orientation says, because the tag
    that told viewers to turn them is about to be dropped. The ICC profile is kept: without
    it, photos in Adobe RGB or Display P3 would look washed out."""
    source.seek(0)
    if mime_type == GIF:
        data = _gif_without_metadata(source.read())
        with open_image(io.BytesIO(data)) as check:
            decode_image(check)  # what we store must still be a readable GIF
            width, height = check.size
        return _Processed(MediaAsset.Kind.IMAGE, GIF, io.BytesIO(data), width, height)

    with open_image(source) as image:
        animated = mime_type != JPEG and getattr(image, "is_animated", False)
        frames = getattr(image, "n_frames", 1) if animated else 1
        if frames * image.width * image.height > (
            ANIMATION_PIXEL_FACTOR * settings.MEDIA_MAX_IMAGE_PIXELS
        ):
            raise RefusedError(_msg_bomb())
        decode_image(image)
        icc_profile = image.info.get("icc_profile")
        out = io.BytesIO()
        if animated:
            # APNG and animated WebP: every frame re-encoded; EXIF orientation is not applied
            # (it would flatten the animation to one frame, and animations do not carry it).
            durations = []
            for index in range(frames):
                image.seek(index)
                durations.append(image.info.get("duration", 100))
            image.seek(0)
            loop = image.info.get("loop", 0)
            image.info = {}
            options: dict[str, Any] = {"save_all": True, "duration": durations, "loop": loop}
            if mime_type == WEBP:
                options |= {"lossless": True}
            image.save(out, format="PNG" if mime_type == PNG else "WEBP", **options)
        else:
            if image.format == "MPO":
                image.seek(0)
            # In place keeps the JPEG plugin's class, so "keep" can reuse the original
            # quantisation tables: no visible generation loss from stripping metadata.
            with pillow_guard():
                image = ImageOps.exif_transpose(image, in_place=True) or image
            # Pillow writes comments and XMP it finds in ``info``: keep only what the pixels
            # need (palette transparency of PNGs).
            image.info = {k: v for k, v in image.info.items() if k == "transparency"}
            options = {"icc_profile": icc_profile} if icc_profile else {}
            if mime_type == JPEG:
                try:
                    image.save(out, format="JPEG", quality="keep", subsampling="keep", **options)
                except (ValueError, TypeError, OSError):
                    out = io.BytesIO()
                    image.save(out, format="JPEG", quality=92, **options)
            elif mime_type == PNG:
                image.save(out, format="PNG", **options)
            else:
                image.save(out, format="WEBP", quality=90, **options)
        width, height = image.size
    out.seek(0)
    return _Processed(MediaAsset.Kind.IMAGE, mime_type, out, width, height)


# --- Videos ---------------------------------------------------------------------------------

# Boxes that carry metadata (location "©xyz", device, XMP): turned into zeroed "free" boxes
# where they sit. That keeps every byte offset, so the sample tables stay valid without
# re-muxing (which would need a video library).
_METADATA_BOXES = {b"udta", b"meta", b"uuid"}
_CONTAINER_BOXES = {b"moov", b"trak"}
_MAX_BOXES = 10_000


def _boxes(handle: IO[bytes], start: int, end: int) -> Iterable[tuple[bytes, int, int, int]]:
    """(type, box start, payload start, box end) of the boxes between start and end."""
    pos = start
    for _index in range(_MAX_BOXES):
        if pos + 8 > end:
            return
        handle.seek(pos)
        header = handle.read(8)
        if len(header) < 8:
            return
        size, kind = int.from_bytes(header[:4], "big"), header[4:8]
        payload = pos + 8
        if size == 1:
            size = int.from_bytes(handle.read(8), "big")
            payload += 8
        elif size == 0:
            size = end - pos
        if size < payload - pos or pos + size > end:
            return
        yield kind, pos, payload, pos + size
        pos += size


def _scan_iso_media(
    handle: IO[bytes], start: int, end: int, found: dict[str, Any], depth: int = 0
) -> None:
    for kind, box_start, payload, box_end in _boxes(handle, start, end):
        if kind in _METADATA_BOXES and depth <= 2:
            found["blank"].append((box_start + 4, payload, box_end))
        elif kind in _CONTAINER_BOXES and depth < 2:
            _scan_iso_media(handle, payload, box_end, found, depth + 1)
        elif kind == b"mvhd":
            handle.seek(payload)
            version = handle.read(1)[:1]
            if version == b"\x01":
                handle.seek(payload + 20)
                timescale, duration = struct.unpack(">IQ", handle.read(12))
            else:
                handle.seek(payload + 12)
                timescale, duration = struct.unpack(">II", handle.read(8))
            if timescale and duration:  # 0 in fragmented files: unknown, not zero seconds
                found["duration"] = duration / timescale
        elif kind == b"tkhd" and not found.get("width") and box_end - payload >= 84:
            handle.seek(box_end - 8)
            width, height = struct.unpack(">II", handle.read(8))
            if width and height:
                found["width"], found["height"] = width >> 16, height >> 16


def _process_video(source: IO[bytes], mime_type: str) -> _Processed:
    """Copy to a temporary file; for MP4/MOV blank the metadata boxes and read duration and
    size from the headers. WebM is stored as uploaded (no decoder to rewrite it with)."""
    copy = tempfile.TemporaryFile()  # noqa: SIM115  (handed over to the storage, closed there)
    source.seek(0)
    for chunk in iter(lambda: source.read(1024 * 1024), b""):
        copy.write(chunk)
    end = copy.tell()
    found: dict[str, Any] = {"blank": []}
    if mime_type in (MP4, QUICKTIME):
        # An unusual layout is stored as is; the format itself was already recognised.
        with contextlib.suppress(struct.error, ValueError):
            _scan_iso_media(copy, 0, end, found)
        for type_offset, payload, box_end in found["blank"]:
            copy.seek(type_offset)
            copy.write(b"free")
            # Renamed, players skip the box; zeroed, nobody can read the location from it.
            copy.seek(payload)
            for start in range(payload, box_end, 1024 * 1024):
                copy.write(b"\0" * min(1024 * 1024, box_end - start))
    copy.seek(0)
    return _Processed(
        MediaAsset.Kind.VIDEO,
        mime_type,
        copy,
        found.get("width"),
        found.get("height"),
        found.get("duration"),
    )


# --- Subtitles ------------------------------------------------------------------------------

_SRT_TIMING = re.compile(r"^\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}")


def captions_content(captions_file: Any) -> tuple[bytes, str]:
    """The subtitles as UTF-8 bytes and their extension; refused unless WebVTT or SRT."""
    refused = ValidationError(
        {
            "captions_file": _(
                "Subtitles must be a WebVTT file (beginning with “WEBVTT”) or an SRT file,"
                " encoded as UTF-8."
            )
        }
    )
    if captions_file.size > CAPTIONS_MAX_BYTES:
        raise ValidationError(
            {"captions_file": _("The subtitles file is larger than 2 MB; that is not plausible.")}
        )
    captions_file.seek(0)
    raw = captions_file.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused from None
    if re.match(r"WEBVTT(?:[ \t\r\n]|$)", text):
        return text.encode("utf-8"), "vtt"
    lines = [line.strip() for line in text.lstrip().splitlines()[:2]]
    if len(lines) == 2 and lines[0].isdigit() and _SRT_TIMING.match(lines[1]):
        return text.encode("utf-8"), "srt"
    raise refused


def file_sha256(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def inspect_upload(uploaded_file: Any, name: str) -> _Processed:
    if uploaded_file.size > media_max_upload_bytes():
        raise ValidationError({"file": _msg_too_large()})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    try:
        image_type = _probe_image(uploaded_file)
        if image_type is not None:
            try:
                with pillow_guard():
                    return _process_image(uploaded_file, image_type)
            except _DAMAGED:
                raise RefusedError(_msg_damaged()) from None
        video_type = _probe_video(uploaded_file)
        if video_type is not None:
            return _process_video(uploaded_file, video_type)
    except RefusedError as refusal:
        raise ValidationError({"file": str(refusal)}) from None
    raise ValidationError({"file": _msg_not_media(name)})
