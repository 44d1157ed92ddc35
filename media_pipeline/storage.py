"""Recordings' files, only through Django's storage API.

The pipeline uses the storage named by ``MEDIA_PIPELINE_STORAGE`` in ``STORAGES`` (alias
``media_pipeline``): a private folder by default, an S3 prefix when a bucket is configured.
ffmpeg only ever reads and writes a local work folder; sources are fetched into it when the
storage has no local path, and outputs are uploaded from it with bounded parallelism.
"""

import os
import shutil
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager, suppress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from .conf import config


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage for recordings. Nothing serves its folder, so files have no URL."""

    def url(self, name):
        raise ValueError("Recordings are private: play them through signed playback.")


class _PipelineStorage(LazyObject):
    def _setup(self):
        alias = config().storage_alias
        try:
            self._wrapped = storages[alias]
        except InvalidStorageError as error:
            raise ImproperlyConfigured(
                f"STORAGES has no {alias!r} entry for the media pipeline's private files."
            ) from error


_storage = _PipelineStorage()


def pipeline_storage():
    """The storage for recordings (a callable, so ``FileField``s resolve it lazily)."""
    return _storage


@receiver(setting_changed)
def _forget_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_PIPELINE_STORAGE"):
        _storage._wrapped = empty


class _LocalFile(File):
    """A finished output in the work folder. FileSystemStorage moves such a file into place
    instead of copying it; other storages read it like any file."""

    def temporary_file_path(self):
        return self.name


@contextmanager
def local_source(name: str, work_dir: Path):
    """A local path to read the stored file ``name`` from, downloading it if needed."""
    storage = pipeline_storage()
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    target = work_dir / "source"
    with storage.open(name, "rb") as remote, target.open("wb") as local:
        shutil.copyfileobj(remote, local, length=8 * 1024 * 1024)
    try:
        yield target
    finally:
        target.unlink(missing_ok=True)


def upload_tree(
    directory: Path, prefix: str, *, workers: int, on_tick: Callable[[], None] | None = None
) -> list[str]:
    """Store every file under ``directory`` at ``prefix/<relative path>``, ``workers`` at a
    time. Returns the stored names; fails if the storage renamed any (playlists refer to
    their segments by name). ``on_tick`` runs in the calling thread about once a second
    (hours of segments take a while to reach S3, and the caller's lease must not lapse)."""
    storage = pipeline_storage()
    files = sorted(p for p in Path(directory).rglob("*") if p.is_file())

    def upload(path: Path) -> str:
        name = f"{prefix}/{path.relative_to(directory).as_posix()}"
        with _LocalFile(path.open("rb"), name=str(path)) as content:
            stored = storage.save(name, content)
        if stored != name:
            raise OSError(f"storage stored {name} as {stored}")
        return stored

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        pending = {pool.submit(upload, path) for path in files}
        try:
            while pending:
                done, pending = wait(pending, timeout=1.0, return_when=FIRST_EXCEPTION)
                for future in done:
                    future.result()
                if on_tick is not None:
                    on_tick()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    return [f"{prefix}/{path.relative_to(directory).as_posix()}" for path in files]


def list_tree(prefix: str) -> list[str]:
    """Names of every stored file under ``prefix``."""
    storage = pipeline_storage()
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}/{name}" for name in files]
    for directory in directories:
        names += list_tree(f"{prefix}/{directory}")
    return names


def delete_tree(prefix: str, *, workers: int = 4) -> int:
    """Delete every stored file under ``prefix``; returns how many there were."""
    storage = pipeline_storage()
    names = list_tree(prefix)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(storage.delete, names))
    try:
        root = Path(storage.path(prefix))
    except NotImplementedError:
        return len(names)
    # A local storage keeps empty folders; remove them deepest first.
    for folder, _, _ in sorted(os.walk(root), key=lambda entry: -len(entry[0])):
        with suppress(OSError):
            os.rmdir(folder)
    return len(names)
