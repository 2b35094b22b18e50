#!/usr/bin/env bash
# Regenerate fixtures/formats/: fixtures/pcg/68377_PV.wav (4 kHz mono, 14.6 s, CirCor DigiScope,
# see fixtures/pcg/README.md) encoded in every format `decodeAudio` reads. Needs ffmpeg.
# Encoders resample where a format cannot hold 4 kHz (MP3/Vorbis/Opus/AAC); the tests compare the
# heart rate estimated from each file with the WAV's.
set -euo pipefail
cd "$(dirname "$0")/.."
src=fixtures/pcg/68377_PV.wav
out=fixtures/formats
mkdir -p "$out"
ff() { ffmpeg -nostdin -loglevel error -y -bitexact -i "$src" "$@"; }
ff -ac 1 -c:a flac "$out/68377_PV.flac"
ff -ac 1 -ar 16000 -c:a libmp3lame -b:a 32k "$out/68377_PV.mp3"
ff -ac 1 -ar 8000 -c:a libvorbis -q:a 2 "$out/68377_PV.ogg"
ff -ac 1 -ar 16000 -c:a libopus -b:a 24k "$out/68377_PV.opus"
ff -ac 1 -ar 16000 -c:a aac -b:a 32k "$out/68377_PV.m4a"
ls -l "$out"
# stereo with the channels cancelling on mix-down (L = x, R = −x; lossless): issue 11 §6
ff -af "pan=stereo|c0=c0|c1=-1*c0" -c:a flac "$out/68377_PV-cancel.flac"
