"""No page takes a file: a file part in a form is dropped unread, never kept in memory or on disk."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class RefuseFilesHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        raise SkipFile("this site takes no files")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None
