"""config/broker.py: the embedded message queue of `make run` (no Redis) with several
processes at once (issue 13: a worker read a half-written message and died)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from kombu import Connection

from config.broker import Transport

N_MESSAGES = 300


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, str]:
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()
    return {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }


def _connection(folders: dict[str, str]) -> Connection:
    return Connection("filesystem://", transport=Transport, transport_options=folders)


def test_every_message_arrives_once_while_written_and_read_at_once(
    folders: dict[str, str],
) -> None:
    expected = sorted(list(range(N_MESSAGES)) * 2)  # two writers
    received: list[int] = []
    errors: list[BaseException] = []
    deadline = time.monotonic() + 60

    def write() -> None:
        with _connection(folders) as connection:
            queue = connection.SimpleQueue("default")
            for number in range(N_MESSAGES):
                queue.put({"n": number, "padding": "x" * 5000})

    def read() -> None:
        try:
            with _connection(folders) as connection:
                queue = connection.SimpleQueue("default")
                while len(received) < len(expected) and time.monotonic() < deadline:
                    try:
                        message = queue.get(timeout=0.05)
                    except queue.Empty:
                        continue
                    received.append(message.payload["n"])
                    message.ack()
        except BaseException as error:  # the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(3)]
    threads += [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(received) == expected


def test_an_unreadable_message_is_set_aside_instead_of_ending_the_worker(
    folders: dict[str, str],
) -> None:
    # A queue name of its own: kombu keeps declared bindings per process, across folders.
    # Messages are taken in the order of their names (milliseconds of the monotonic clock
    # first): "0_" comes before every message put, so the broken one is met first.
    (Path(folders["data_folder_in"]) / "0_broken.mail.msg").write_bytes(b'{"half')
    with _connection(folders) as connection:
        queue = connection.SimpleQueue("mail")
        queue.put({"n": 1})
        assert queue.get(timeout=1).payload == {"n": 1}
    assert (Path(folders["processed_folder"]) / "0_broken.mail.msg.corrupt").exists()


def test_a_fanout_exchange_keeps_every_bound_queue(folders: dict[str, str]) -> None:
    with _connection(folders) as connection:
        channel = connection.default_channel
        for number in range(5):
            channel._queue_bind("broadcast", "", "", f"q{number}")
        assert {row.queue for row in channel.get_table("broadcast")} == {f"q{n}" for n in range(5)}
        channel._delete("q2", "broadcast", "", "")
        assert "q2" not in {row.queue for row in channel.get_table("broadcast")}
