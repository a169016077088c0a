"""The feature set of activities/features (defaults) computed with TA-Lib (C) and numpy:
RSI(14), MACD(12,26,9), Bollinger(20,2) %B and bandwidth, ATR(14), log returns over 1/5/15/60
bars, volatility(20) = SD of 1-bar log returns, volume z-score(20).

  python features.py DIR REPS
DIR holds high.f64, low.f64, close.f64, volume.f64 (little-endian float64). Writes DIR/out.f64
(the 13 columns one after the other, NaN during warm-up) and prints JSON: TA-Lib's version and
the best and all wall and CPU times (ms) of REPS computations of the whole set.
"""
import json
import sys
import time

import numpy as np
import talib


def feature_set(high, low, close, volume):
    rsi = talib.RSI(close, 14)
    macd, signal, hist = talib.MACD(close, 12, 26, 9)
    upper, middle, lower = talib.BBANDS(close, 20, 2.0, 2.0, 0)
    band = upper - lower
    with np.errstate(divide="ignore", invalid="ignore"):
        pctb = np.where(band == 0, 0.5, (close - lower) / band)
    width = band / middle
    atr = talib.ATR(high, low, close, 14)
    rets = [np.log(talib.ROCR(close, k)) for k in (1, 5, 15, 60)]
    vol = talib.STDDEV(rets[0], 20, 1.0)
    sd = talib.STDDEV(volume, 20, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        vz = np.where(sd == 0, 0.0, (volume - talib.SMA(volume, 20)) / sd)
    return [rsi, macd, signal, hist, pctb, width, vol, atr, *rets, vz]


def main():
    folder, reps = sys.argv[1], int(sys.argv[2])
    cols = {name: np.fromfile(f"{folder}/{name}.f64", dtype="<f8") for name in ("high", "low", "close", "volume")}
    times, cpu_times = [], []
    out = None
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        out = feature_set(cols["high"], cols["low"], cols["close"], cols["volume"])
        times.append((time.perf_counter() - t) * 1000)
        cpu_times.append((time.process_time() - c) * 1000)
    np.concatenate(out).astype("<f8").tofile(f"{folder}/out.f64")
    print(json.dumps({"talib": talib.__version__, "c_library": talib.__ta_version__.decode(), "numpy": np.__version__, "bestMs": min(times), "timesMs": times, "bestCpuMs": min(cpu_times), "cpuTimesMs": cpu_times}))


if __name__ == "__main__":
    main()
