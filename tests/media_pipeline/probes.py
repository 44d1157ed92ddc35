"""ffprobe JSON shaped like the real thing, for the pure layer's tests."""


def video_stream(width, height, *, codec="h264", rate="30/1", rotation=None, pix_fmt="yuv420p"):
    stream = {
        "index": 0,
        "codec_name": codec,
        "codec_type": "video",
        "profile": "High",
        "width": width,
        "height": height,
        "pix_fmt": pix_fmt,
        "sample_aspect_ratio": "1:1",
        "r_frame_rate": rate,
        "avg_frame_rate": rate,
        "disposition": {"default": 1, "attached_pic": 0},
    }
    if rotation is not None:
        stream["side_data_list"] = [{"side_data_type": "Display Matrix", "rotation": rotation}]
    return stream


def audio_stream(*, codec="aac", channels=2, index=1):
    return {
        "index": index,
        "codec_name": codec,
        "codec_type": "audio",
        "sample_rate": "48000",
        "channels": channels,
        "r_frame_rate": "0/0",
        "avg_frame_rate": "0/0",
    }


def probe_json(*streams, duration="120.000000", format_name="mov,mp4,m4a,3gp,3g2,mj2", size=1):
    return {
        "streams": list(streams),
        "format": {
            "filename": "file:/uploads/recording",
            "nb_streams": len(streams),
            "format_name": format_name,
            "duration": duration,
            "size": str(size),
            "bit_rate": "2500000",
        },
    }
