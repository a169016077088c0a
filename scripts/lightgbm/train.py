"""Train LightGBM (regression, L2) on raw float64 files and time it (for bench/gbdt-lightgbm.ts).

train.py SPEC.json: {"train_x", "train_y", "test_x", "n_features", "out_pred", "params": {...},
"n_estimators"}. Files are raw little-endian float64. Prints JSON with train_seconds (wall),
train_cpu_seconds, predict_seconds, leaves per tree and the lightgbm version; writes test
predictions to out_pred.
"""
import json
import sys
import time

import lightgbm as lgb
import numpy as np


def main() -> None:
    spec = json.load(open(sys.argv[1]))
    nf = int(spec["n_features"])
    X = np.fromfile(spec["train_x"], dtype="<f8").reshape(-1, nf)
    y = np.fromfile(spec["train_y"], dtype="<f8")
    Xt = np.fromfile(spec["test_x"], dtype="<f8").reshape(-1, nf)
    params = {"objective": "regression", "num_threads": 1, "verbose": -1, "deterministic": True, **spec["params"]}
    # Time the whole fit as our trainGbdt does: binning (Dataset construction) + boosting.
    t0 = time.perf_counter()
    c0 = time.process_time()
    dtrain = lgb.Dataset(X, label=y, params=params, free_raw_data=False)
    booster = lgb.train(params, dtrain, num_boost_round=int(spec["n_estimators"]))
    train_seconds = time.perf_counter() - t0
    train_cpu_seconds = time.process_time() - c0
    t0 = time.perf_counter()
    pred = booster.predict(Xt, num_threads=1)
    predict_seconds = time.perf_counter() - t0
    pred.astype("<f8").tofile(spec["out_pred"])
    leaves = [t["num_leaves"] for t in booster.dump_model()["tree_info"]]
    print(json.dumps({
        "lightgbm": lgb.__version__, "train_seconds": train_seconds, "train_cpu_seconds": train_cpu_seconds,
        "predict_seconds": predict_seconds, "trees": len(leaves), "max_leaves": max(leaves), "mean_leaves": sum(leaves) / len(leaves),
    }))


if __name__ == "__main__":
    main()
