"""Rewriting playlists so every URI is signed (pure)."""

from media_pipeline.ffmpeg import playlist_uris, rewrite_playlist

MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,URI="audio/playlist.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio"
360p/playlist.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="360p/iframes.m3u8"
"""

VARIANT = """#EXTM3U
#EXT-X-TARGETDURATION:6
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="init_0.mp4"
#EXTINF:6.000000,
segment_00000.m4s
#EXTINF:2.500000,
segment_00001.m4s
#EXT-X-ENDLIST
"""


def test_every_uri_of_a_master_playlist_is_rewritten():
    rewritten = rewrite_playlist(MASTER, lambda uri: f"https://signed.example/{uri}?t=1")
    assert playlist_uris(MASTER) == [
        "audio/playlist.m3u8",
        "360p/playlist.m3u8",
        "360p/iframes.m3u8",
    ]
    assert playlist_uris(rewritten) == [
        "https://signed.example/audio/playlist.m3u8?t=1",
        "https://signed.example/360p/playlist.m3u8?t=1",
        "https://signed.example/360p/iframes.m3u8?t=1",
    ]
    assert 'CODECS="avc1.64001e,mp4a.40.2"' in rewritten


def test_init_files_and_segments_of_a_media_playlist_are_rewritten():
    rewritten = rewrite_playlist(VARIANT, lambda uri: f"/play/f/token/{uri}")
    assert '#EXT-X-MAP:URI="/play/f/token/init_0.mp4"' in rewritten
    assert "\n/play/f/token/segment_00001.m4s\n" in rewritten
    assert "#EXTINF:2.500000," in rewritten and rewritten.endswith("#EXT-X-ENDLIST\n")
