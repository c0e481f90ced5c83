"""A small reference library (a subset of the installed LicenseDB texts) shared by the tests."""

from __future__ import annotations

import shutil

import pytest

from desktop.core.licenses import load_library, reference_dir

KEYS = ("mit", "apache-2.0", "gpl-2.0", "gpl-2.0-plus", "gpl-3.0", "bsd-new", "bsd-simplified",
        "llama-3.1-license-2024", "llama-3.2-license-2024", "llama-3.3-license-2024",
        "gemma-tou-2024-04-01", "gemma-tou-2025-03-24", "stable-diffusion-2022-08-22",
        "bigscience-open-rail-m2", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "classpath-exception-2.0", "json")


@pytest.fixture(scope="session")
def refs_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("refs")
    for key in KEYS:
        shutil.copy(reference_dir() / f"{key}.LICENSE", folder / f"{key}.LICENSE")
    return folder


@pytest.fixture(scope="session")
def library(refs_dir, tmp_path_factory):
    return load_library(tmp_path_factory.mktemp("cache"), refs_dir=refs_dir)
