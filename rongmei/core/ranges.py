"""Answering one HTTP byte range of a stored file (browsers seek in a
video so; Safari will not play one without): shared by the archive's file
view and the website's public media."""

import re

from django.http import HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def _ranged(handle, start: int, length: int):
    try:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def range_response(handle, size: int, header: str, content_type: str):
    """A 206 answer for the one byte range ``header`` asks for, or 416 (the
    handle is closed); None when it asks for no range."""
    match = RANGE.match(header or "")
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response = StreamingHttpResponse(_ranged(handle, start, end - start + 1), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    return response
