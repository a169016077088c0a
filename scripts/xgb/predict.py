"""Predict with an XGBoost JSON model: predict.py MODEL.json X.f64 N_FEATURES OUT.f64

X.f64 is a raw little-endian float64 row-major matrix (NaN = missing); OUT.f64 gets one float64
prediction per row. Prints {"xgboost": version, "rows": n} as JSON.
"""
import json
import sys

import numpy as np
import xgboost as xgb


def main() -> None:
    model_path, x_path, n_features, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    X = np.fromfile(x_path, dtype="<f8").reshape(-1, n_features)
    booster = xgb.Booster()
    booster.load_model(model_path)
    names = booster.feature_names
    pred = booster.predict(xgb.DMatrix(X, missing=np.nan, feature_names=names))
    pred.astype("<f8").tofile(out_path)
    print(json.dumps({"xgboost": xgb.__version__, "rows": int(X.shape[0])}))


if __name__ == "__main__":
    main()
