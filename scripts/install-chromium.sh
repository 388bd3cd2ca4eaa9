#!/usr/bin/env bash
# Installs Debian's Chromium (driven by the browser test through playwright-core) and a CJK
# font (so zh-CN screenshots are legible), when they are absent. Needs root, as on CI.
set -euo pipefail
if command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium fonts-wqy-microhei
