"""The embedded message queue of `make run` (no Redis): kombu's filesystem transport, made safe
for several processes at once.

kombu writes a message by creating its file under its final name and then writing into it,
and rewrites an exchange's table of queues in place (``open("wb")`` empties the file before
the lock is taken). A process that lists the folder or reads the table in between finds an
empty or half-written file, and ``json.loads`` raises the ``JSONDecodeError`` that stopped
the Celery worker for good (issue 13). Here every file appears only complete: written under
a name no reader looks at, then renamed (atomic within a folder). A message is claimed by a
rename into the processed folder (only one process wins; kombu moved it to the system's
temporary folder, which may lie on another file system, where a move is a copy). A file that
still does not parse (written by the unpatched transport) is set aside instead of ending the
worker.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from time import monotonic
from typing import Any

from kombu.transport import filesystem
from kombu.transport import virtual
from kombu.utils.encoding import bytes_to_str
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps
from kombu.utils.json import loads

logger = logging.getLogger(__name__)

_Table = list[filesystem.exchange_queue_t]

# kombu marks a binding as declared in the process (shared by all its threads) before it
# writes the exchange table. A second thread binding the same queue in that moment skips
# the declaration, publishes at once, finds the table still without its queue and kombu
# sends the message to its dead-letter queue, where nobody reads it: the message is lost.
_binding_lock = threading.Lock()


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    with open(partial, "wb") as file:
        file.write(data)
    os.replace(partial, path)


class Channel(filesystem.Channel):
    # kombu's own filesystem.Channel and its AbstractChannel name the argument differently
    # (payload / message); we keep filesystem.Channel's, whose method this replaces.
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        try:
            # The leading dot keeps the partial file out of every reader's pattern.
            _write_atomically(Path(self.data_folder_out) / name, str_to_bytes(dumps(payload)))
        except OSError as error:
            raise filesystem.ChannelError(f"Cannot add file {name!r} to directory") from error

    # timeout: AbstractChannel's signature; this transport polls, so it has no use for it.
    def _get(self, queue: str, timeout: float | None = None) -> Any:
        wanted = f"{queue}.msg"
        claimed_folder = Path(self.processed_folder)
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            claimed = claimed_folder / name
            try:
                os.rename(Path(self.data_folder_in) / name, claimed)
            except OSError:
                continue  # another process claimed it first
            try:
                payload = claimed.read_bytes()
                message = loads(bytes_to_str(payload))
            except ValueError:
                logger.error("Unreadable message %s set aside as %s.corrupt", name, name)
                claimed.rename(claimed.with_name(f"{name}.corrupt"))
                continue
            except OSError as error:
                raise filesystem.ChannelError(f"Cannot read file {name!r}") from error
            if not self.store_processed:
                claimed.unlink(missing_ok=True)
            return message
        raise filesystem.Empty()

    # --- The exchange tables (which queues a fanout exchange delivers to) ---------------------

    def _read_table(self, file: Path) -> _Table:
        try:
            content = file.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise filesystem.ChannelError(f"Cannot open {file}") from error
        try:
            return [filesystem.exchange_queue_t(*row) for row in loads(bytes_to_str(content))]
        except ValueError:
            logger.error("Unreadable exchange table %s: taken as empty", file)
            return []

    def _change_table(self, exchange: str, change: Callable[[_Table], _Table]) -> None:
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        # Read, change and write under one lock (a file of its own: the table itself is
        # replaced), or two processes binding at once would each drop the other's queue.
        with open(file.with_name(f".{file.name}.lock"), "a") as lock_file:
            filesystem.lock(lock_file, filesystem.LOCK_EX)
            try:
                table = self._read_table(file)
                changed = change(list(table))
                if changed != table:
                    _write_atomically(file, str_to_bytes(dumps(changed)))
            finally:
                filesystem.unlock(lock_file)

    def queue_bind(self, *args: Any, **kwargs: Any) -> None:
        with _binding_lock:
            super().queue_bind(*args, **kwargs)

    def get_table(self, exchange: str) -> _Table:
        return self._read_table(self._exchange_file(exchange))

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str, queue: str) -> None:
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._change_table(exchange, lambda table: table if row in table else [row, *table])

    def _delete(
        self, queue: str, exchange: str, routing_key: str, pattern: str, *args: Any, **kwargs: Any
    ) -> None:
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        self._change_table(exchange, lambda table: [r for r in table if r != row])


class Transport(filesystem.Transport):
    Channel = Channel
