import array
import io
import math
import wave

import pytest

from langso.outreach.tts.audio import WAV, Audio


@pytest.fixture
def tone():
    """Factory for a 16-bit mono WAV: a sine of ``amplitude`` (0..1) lasting ``seconds``."""

    def make(seconds: float = 1.0, amplitude: float = 0.5, rate: int = 22050) -> Audio:
        samples = array.array(
            "h",
            (
                round(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / rate))
                for i in range(round(seconds * rate))
            ),
        )
        out = io.BytesIO()
        with wave.open(out, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(rate)
            writer.writeframes(samples.tobytes())
        return Audio(out.getvalue(), WAV)

    return make
