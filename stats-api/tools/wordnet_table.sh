#!/usr/bin/env bash
# Makes stats-api/wordnet/wordnet.zlib, the WordNet table `ask` relates words with, from
# Princeton WordNet 3.0 as Debian ships it (package wordnet-base, /usr/share/wordnet).
#
#   bash stats-api/tools/wordnet_table.sh
#
# Installs wordnet-base when it is missing (apt-get; run as root), then reduces it with
# wordnet_table.py. The output is deterministic: the same package gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/share/wordnet/data.noun ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wordnet-base
fi
python3 tools/wordnet_table.py /usr/share/wordnet wordnet/wordnet.zlib
cp /usr/share/doc/wordnet-base/copyright wordnet/LICENSE-WordNet.txt
