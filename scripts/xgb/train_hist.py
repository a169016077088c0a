"""Train xgboost tree_method='hist' on raw float64 files and time it (for bench/gbdt.ts; nthread 1 unless params say).

train_hist.py PARAMS.json: {"train_x", "train_y", "test_x", "n_features", "out_pred", "params": {...},
"n_estimators"}. Files are raw little-endian float64. Prints JSON with train_seconds (wall), train_cpu_seconds,
predict_seconds and the xgboost version; writes test predictions to out_pred.
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main() -> None:
    spec = json.load(open(sys.argv[1]))
    nf = int(spec["n_features"])
    X = np.fromfile(spec["train_x"], dtype="<f8").reshape(-1, nf)
    y = np.fromfile(spec["train_y"], dtype="<f8")
    Xt = np.fromfile(spec["test_x"], dtype="<f8").reshape(-1, nf)
    params = {"tree_method": "hist", "objective": "reg:squarederror", "nthread": 1, **spec["params"]}
    # Time the whole fit as our trainGbdt does: quantile sketch + binning + boosting.
    t0 = time.perf_counter()
    c0 = time.process_time()
    dtrain = xgb.QuantileDMatrix(X, label=y, max_bin=params.get("max_bin", 256), nthread=params["nthread"])
    booster = xgb.train(params, dtrain, num_boost_round=int(spec["n_estimators"]))
    train_seconds = time.perf_counter() - t0
    train_cpu_seconds = time.process_time() - c0
    t0 = time.perf_counter()
    pred = booster.predict(xgb.DMatrix(Xt, nthread=params["nthread"]))
    predict_seconds = time.perf_counter() - t0
    pred.astype("<f8").tofile(spec["out_pred"])
    print(json.dumps({"xgboost": xgb.__version__, "train_seconds": train_seconds, "train_cpu_seconds": train_cpu_seconds, "predict_seconds": predict_seconds}))


if __name__ == "__main__":
    main()
