#!/bin/sh
# Makes the small test media committed in test/media/ (CI has no ffmpeg: tests use the committed files;
# this script documents how they were made and re-makes them). Needs Debian's ffmpeg (apt-get install ffmpeg).
#
# Facts the tests rely on (test/helpers.test.ts):
#   - 3 s of video at 25 fps, 320x240 H.264 (libx264, 2 B-frames), closed GOP of exactly 25 frames with no
#     scene-cut keyframes  -> 75 video packets, 3 SAP-1 packets (one per second), so DASH with 1 s segments
#     gives 3 segments per stream.
#   - 3 s of AAC-LC at 48 kHz, stereo, 64 kb/s: 1024 samples per packet plus 1024 samples of encoder
#     priming -> 142 packets, the last one 640 samples long. Stereo because ffmpeg writes channelcount 2 in
#     the mp4a sample entry whatever the AAC config says and GPAC reports that field: mono would read as
#     2 channels in GPAC and 1 in ffprobe.
#   - bit-exact flags and a single encoder thread so a re-run produces the same bytes.
set -eu

cd "$(dirname "$0")"
command -v ffmpeg >/dev/null 2>&1 || { echo "make-media.sh: ffmpeg not found; install it with: apt-get install ffmpeg" >&2; exit 1; }

DUR=3
FPS=25
GOP=25

# Shared output flags: no creation time or encoder tag that changes from run to run.
COMMON="-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -threads 1"
VIDEO="-c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -crf 30 -bf 2 -g $GOP -keyint_min $GOP -x264-params scenecut=0:open-gop=0:threads=1"
AUDIO="-c:a aac -b:a 64k -ar 48000 -ac 2"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=320x240:rate=$FPS:duration=$DUR" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$DUR" \
  $VIDEO $AUDIO $COMMON -shortest av.mp4

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=320x240:rate=$FPS:duration=$DUR" \
  $VIDEO -an $COMMON video.mp4

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$DUR" \
  -vn $AUDIO $COMMON audio.mp4

ls -l av.mp4 video.mp4 audio.mp4
