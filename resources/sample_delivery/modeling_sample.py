# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 Example Vendor Ltd.
"""Print the tensor names of the sample model without loading any tensor data."""

import json
import struct
import sys


def tensor_names(path: str) -> list[str]:
    with open(path, "rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
    return sorted(name for name in header if name != "__metadata__")


if __name__ == "__main__":
    print("\n".join(tensor_names(sys.argv[1] if len(sys.argv) > 1 else "model.safetensors")))
