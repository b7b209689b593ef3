#!/usr/bin/env python3
"""DynamoDB API emulator for Pulse's local stack and tests: moto's server, tuned.

moto (Apache-2.0) implements the DynamoDB wire API. Two of its traits matter here:
- TransactWriteItems snapshots every touched *table* with deepcopy so it can roll back,
  which makes each ingest O(table size). We snapshot only the touched items instead.
- Requests from concurrent threads are not isolated: a reader could see a transaction's first
  writes before a later part fails and moto rolls them back. DynamoDB never shows uncommitted
  writes and its transactions are serialisable, so every read and write path takes one lock.
Usage: dynamodb-emulator.py --port N [--host 127.0.0.1]
"""
import argparse
import copy
import sys
import threading

import moto.dynamodb.models as models
from moto.server import main as moto_main

_LOCK = threading.RLock()
_Backend = models.DynamoDBBackend


class _TableAwareCopy:
    """Stands in for the `copy` module inside moto.dynamodb.models: tables are not copied."""

    @staticmethod
    def deepcopy(value, *args):
        if isinstance(value, models.Table):
            return value
        return copy.deepcopy(value, *args)

    def __getattr__(self, name):
        return getattr(copy, name)


def _key_of(table, op):
    if "Key" in op:
        return op["Key"]
    return {name: op["Item"][name] for name in table.table_key_attrs if name in op["Item"]}


def _snapshot(backend, transact_items):
    saved = []
    for entry in transact_items:
        op = next(iter(entry.values()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        key = _key_of(table, op)
        try:
            current = backend.get_item(table.name, key)
        except Exception:  # noqa: BLE001 - a bad key fails the transaction itself later
            continue
        saved.append((table, key, copy.deepcopy(current)))
    return saved


def _restore(backend, saved):
    for table, key, old in reversed(saved):
        hash_value = models.DynamoType(key[table.hash_key_attr])
        range_value = models.DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        try:
            table.delete_item(hash_value, range_value)
        except Exception:  # noqa: BLE001 - absent before and after
            pass
        if old is not None:
            table.put_item(old.to_json()["Attributes"])


def _locked(method):
    def wrapper(self, *args, **kwargs):
        with _LOCK:
            return method(self, *args, **kwargs)
    return wrapper


_original_transact = _Backend.transact_write_items


def _transact_write_items(self, transact_items):
    with _LOCK:
        saved = _snapshot(self, transact_items)
        try:
            return _original_transact(self, transact_items)
        except Exception:
            _restore(self, saved)
            raise


models.copy = _TableAwareCopy()
_Backend.transact_write_items = _transact_write_items
for _name in ("put_item", "update_item", "delete_item", "batch_write_item",
              "get_item", "query", "scan", "batch_get_item", "transact_get_items"):
    if hasattr(_Backend, _name):
        setattr(_Backend, _name, _locked(getattr(_Backend, _name)))

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    moto_main(["-H", args.host, "-p", str(args.port)])
