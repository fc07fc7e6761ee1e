"""What a browser's file picker hands an upload button, for the tests of scenario files."""

from __future__ import annotations

import datetime
from typing import Any


def upload(panel: Any, name: str, content: bytes) -> None:
    """Give ``panel.upload`` one file, as ipywidgets' ``FileUpload`` receives it from a page."""
    panel.upload.value = (
        {
            "name": name,
            "type": "application/json",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.timezone.utc),
        },
    )
