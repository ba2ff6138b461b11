#!/usr/bin/env python3
"""Independent oracle for the PTB-XL label sets (test fixture generator; tests do not run Python).

Re-implements the PTB-XL benchmark's label aggregation (Strodthoff et al. 2020, ecg_ptbxl_benchmarking
utils.compute_label_aggregations) with the Python standard library only: scp_codes parsed with ast.literal_eval,
every code kept regardless of likelihood, labels sorted (MultiLabelBinarizer order).

Usage: python3 make_ptbxl_label_oracle.py <ptbxl_dir> > ptbxl_labels_oracle.tsv
Columns: ecg_id, patient_id, strat_fold, all, diagnostic, subdiagnostic, superdiagnostic, form, rhythm
(label lists joined by ';').
"""
import ast
import csv
import sys


def main(root):
    with open(f"{root}/scp_statements.csv", newline="", encoding="utf-8") as f:
        stm = {row[""]: row for row in csv.DictReader(f)}

    def flag(row, col):
        v = row[col].strip()
        return v != "" and float(v) == 1.0

    diag = {k: v for k, v in stm.items() if flag(v, "diagnostic")}
    form = {k for k, v in stm.items() if flag(v, "form")}
    rhythm = {k for k, v in stm.items() if flag(v, "rhythm")}
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["ecg_id", "patient_id", "strat_fold", "all", "diagnostic", "subdiagnostic", "superdiagnostic", "form", "rhythm"])
    with open(f"{root}/ptbxl_database.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes = ast.literal_eval(row["scp_codes"])
            keys = list(codes.keys())
            sets = [
                set(keys),
                {k for k in keys if k in diag},
                {diag[k]["diagnostic_subclass"] for k in keys if k in diag and diag[k]["diagnostic_subclass"] != ""},
                {diag[k]["diagnostic_class"] for k in keys if k in diag and diag[k]["diagnostic_class"] != ""},
                {k for k in keys if k in form},
                {k for k in keys if k in rhythm},
            ]
            pid = str(int(float(row["patient_id"])))
            out.writerow([row["ecg_id"], pid, row["strat_fold"]] + [";".join(sorted(s)) for s in sets])


if __name__ == "__main__":
    main(sys.argv[1])
