#!/usr/bin/env bash
# Sign (and optionally notarize) the macOS bundle: packaging/macos/sign.sh "Developer ID Application: NAME"
set -euo pipefail
identity="$1"
app="$(dirname "$0")/../../dist/AI Review Desk.app"
codesign --deep --force --options runtime --timestamp \
  --entitlements "$(dirname "$0")/entitlements.plist" --sign "$identity" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
