"""Writes the real datasets the command line's defaults are judged on (docs/guide.md, "Defaults on
real data") and prints scikit-learn's linear models on the same splits, the figures the test
test/node/real-data.test.ts compares against.

  python3 scripts/real-datasets.py          (needs scikit-learn; not needed by the tests)

Each dataset ships with scikit-learn: iris, wine (its classes written as names), breast cancer
(0/1), the 8×8 digits (0–9), diabetes (a real-valued target). Split 80/20, stratified for the
classifiers, seed 0, into examples/data/<name>.train.csv and <name>.test.csv with a `target` column.
Baselines: StandardScaler + LogisticRegression(max_iter=5000) (accuracy on the test file) and
StandardScaler + Ridge (R² on the test file)."""

import csv
import os

from sklearn import datasets
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), '..', 'examples', 'data')


def write(path, names, x, y):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(list(names) + ['target'])
        for row, t in zip(x, y):
            w.writerow([repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in row] + [t])


def main():
    wine = datasets.load_wine()
    cases = {
        'iris': (datasets.load_iris(), lambda d: [d.target_names[t] for t in d.target], 'classification'),
        'wine': (wine, lambda d: [d.target_names[t] for t in d.target], 'classification'),
        'breast-cancer': (datasets.load_breast_cancer(), lambda d: [int(t) for t in d.target], 'classification'),
        'digits': (datasets.load_digits(), lambda d: [int(t) for t in d.target], 'classification'),
        'diabetes': (datasets.load_diabetes(scaled=False), lambda d: [int(t) if float(t).is_integer() else float(t) for t in d.target], 'regression'),
    }
    os.makedirs(OUT, exist_ok=True)
    for name, (d, labels, kind) in cases.items():
        y = labels(d)
        x_train, x_test, y_train, y_test = train_test_split(d.data, y, test_size=0.2, random_state=0, stratify=y if kind == 'classification' else None)
        names = [str(n).replace(' ', '_') for n in (d.feature_names if hasattr(d, 'feature_names') and d.feature_names is not None else range(d.data.shape[1]))]
        write(os.path.join(OUT, f'{name}.train.csv'), names, x_train, y_train)
        write(os.path.join(OUT, f'{name}.test.csv'), names, x_test, y_test)
        if kind == 'classification':
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(x_train, y_train)
            print(f'{name}: LogisticRegression accuracy {model.score(x_test, y_test):.4f}  ({len(y_train)} train, {len(y_test)} test)')
        else:
            model = make_pipeline(StandardScaler(), Ridge()).fit(x_train, y_train)
            print(f'{name}: Ridge R² {model.score(x_test, y_test):.4f}  ({len(y_train)} train, {len(y_test)} test)')


if __name__ == '__main__':
    main()
