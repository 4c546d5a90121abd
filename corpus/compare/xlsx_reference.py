"""The XLSX reference: openpyxl on each "PATH<TAB>SHEET" line of
stdin, one JSON line per file: the sheets, and for the sheet named (else the
first) its first non-empty row, the rows after it and each column's value
types."""
import json
import sys
import datetime

import openpyxl


def kind(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "integer" if v.is_integer() else "decimal"
    if isinstance(v, datetime.datetime):
        return "date" if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0) else "timestamp"
    if isinstance(v, datetime.date):
        return "date"
    if isinstance(v, datetime.time):
        return "time"
    return "string"


for line in sys.stdin:
    path, _, sheet = line.rstrip("\n").partition("\t")
    out = {"path": path}
    try:
        # Not read-only: a sheet with one cell at XFD1048576 would have
        # read-only mode pad every row to 16384 columns. The cells are read
        # sparse, as stored.
        wb = openpyxl.load_workbook(path, data_only=True)
        out["sheets"] = wb.sheetnames
        ws = wb[sheet] if sheet in wb.sheetnames else wb[wb.sheetnames[0]]
        out["sheet"] = ws.title
        by_row = {}
        for (r, c), cell in ws._cells.items():
            if cell.value is not None and cell.value != "":
                by_row.setdefault(r, {})[c] = cell.value
        order = sorted(by_row)
        width = max((max(cols) for cols in by_row.values()), default=0)
        rows = [[by_row[r].get(c) for c in range(1, width + 1)] for r in order]
        out["columns"] = width
        out["first_row"] = ["" if v is None else str(v) for v in (rows[0][:width] if rows else [])]
        out["rows_after_first"] = max(len(rows) - 1, 0)
        types = []
        for i in range(width):
            seen = sorted({kind(r[i]) for r in rows[1:] if i < len(r) and r[i] is not None and r[i] != ""})
            types.append(seen)
        out["types"] = types
        wb.close()
    except Exception as e:  # the reference's refusal, recorded as it is
        out["error"] = f"{type(e).__name__}: {e}".split("\n")[0]
    sys.stdout.write(json.dumps(out, default=str) + "\n")
    sys.stdout.flush()
