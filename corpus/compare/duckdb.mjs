// The CSV reference: DuckDB's sniffer (sniff_csv) and reader (read_csv,
// auto-detected) on each file named on stdin, one JSON line per file.
import { DuckDBInstance } from "@duckdb/node-api";
import { createInterface } from "node:readline";

const db = await DuckDBInstance.create(":memory:", { threads: "1" });
const c = await db.connect();
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
for await (const path of createInterface({ input: process.stdin })) {
  const out = { path };
  try {
    const r = (await c.runAndReadAll(`SELECT * FROM sniff_csv(${quote(path)}, sample_size = 20480)`)).getRowObjectsJson()[0];
    out.delimiter = r.Delimiter;
    out.quote = r.Quote;
    out.header = r.HasHeader;
    out.skip_rows = Number(r.SkipRows);
    out.columns = r.Columns.map((col) => ({ name: col.name, type: col.type }));
    out.rows = Number((await c.runAndReadAll(`SELECT count(*) AS n FROM read_csv(${quote(path)}, sample_size = 20480)`)).getRowObjectsJson()[0].n);
  } catch (e) {
    out.error = String(e.message ?? e).split("\n")[0];
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
