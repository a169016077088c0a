"""Predict with XGBoost JSON models.

  predict.py MODEL.json X.f64 N_FEATURES OUT.f64
  predict.py --batch JOBS.json      (JOBS.json: [{"model", "x", "n_features", "out"}, ...])

X.f64 is a raw little-endian float64 row-major matrix (NaN = missing); OUT.f64 gets one float64
prediction per row. Prints {"xgboost": version, "rows": [n, ...]} as JSON.
"""
import json
import sys

import numpy as np
import xgboost as xgb


def predict(model_path: str, x_path: str, n_features: int, out_path: str) -> int:
    X = np.fromfile(x_path, dtype="<f8").reshape(-1, n_features)
    booster = xgb.Booster()
    booster.load_model(model_path)
    dmatrix = xgb.DMatrix(X, missing=np.nan, feature_names=booster.feature_names)
    booster.predict(dmatrix).astype("<f8").tofile(out_path)
    return int(X.shape[0])


def main() -> None:
    if sys.argv[1] == "--batch":
        jobs = json.load(open(sys.argv[2]))
    else:
        jobs = [{"model": sys.argv[1], "x": sys.argv[2], "n_features": sys.argv[3], "out": sys.argv[4]}]
    rows = [predict(j["model"], j["x"], int(j["n_features"]), j["out"]) for j in jobs]
    print(json.dumps({"xgboost": xgb.__version__, "rows": rows}))


if __name__ == "__main__":
    main()
