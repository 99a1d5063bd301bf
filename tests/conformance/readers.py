# The Python readers people use around Office, run by the conformance tests with Debian's
# /usr/bin/python3: openpyxl, pandas.read_excel and python-docx open our files (read), and
# openpyxl edits a ledger and saves it (edit), as a department would with a script.
#   readers.py read FILE...            -> JSON {file: what each reader saw}
#   readers.py edit IN OUT EDITS_JSON  -> edits {sheet, idColumn (1-based), headerRow, cells: {id: {column: text}}}
import json
import sys
import warnings

warnings.simplefilter("ignore")


def read_xlsx(f):
    import openpyxl
    import pandas

    wb = openpyxl.load_workbook(f)
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = {
            "state": ws.sheet_state,
            "rows": ws.max_row,
            "cols": ws.max_column,
            "a1": ws.cell(1, 1).value,
            "texts": [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None][:2000],
        }
    frames = pandas.read_excel(f, sheet_name=None, header=None, dtype=str)
    return {
        "openpyxl": sheets,
        "pandas": {name: {"rows": int(df.shape[0]), "cols": int(df.shape[1])} for name, df in frames.items()},
    }


def read_docx(f):
    import docx

    d = docx.Document(f)
    texts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                texts.append(cell.text)
    return {
        "paragraphs": len(d.paragraphs),
        "tables": len(d.tables),
        "sections": len(d.sections),
        "styles": sorted(s.style_id for s in d.styles if s.style_id),
        "text": "\n".join(texts),
    }


def main():
    cmd = sys.argv[1]
    if cmd == "read":
        out = {}
        for f in sys.argv[2:]:
            out[f] = read_xlsx(f) if f.endswith(".xlsx") else read_docx(f)
        json.dump(out, sys.stdout, ensure_ascii=False)
    elif cmd == "edit":
        import openpyxl

        src, dst, spec = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
        wb = openpyxl.load_workbook(src)
        ws = wb[spec["sheet"]]
        rows = {ws.cell(r, spec["idColumn"]).value: r for r in range(spec["headerRow"] + 1, ws.max_row + 1)}
        for mid, cells in spec["cells"].items():
            for col, text in cells.items():
                ws.cell(rows[mid], int(col)).value = text
        wb.save(dst)
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
