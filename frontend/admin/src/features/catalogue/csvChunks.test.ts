import { describe, expect, it } from "vitest";
import { splitCsv } from "./csvChunks";

const HEADER = "sku,name,price,category,attributes\n";

function rows(count: number, from = 1): string {
  return Array.from({ length: count }, (_, index) => `SKU-${from + index},Chair ${from + index},10.00,furniture,\n`).join("");
}

describe("splitting a CSV file into chunks for the import", () => {
  it("gives each chunk the header and numbers it from the file line of its first row", () => {
    const split = splitCsv(HEADER + rows(5), 2);

    expect(split.rows).toBe(5);
    expect(split.chunks.map((chunk) => [chunk.firstRow, chunk.rows])).toEqual([
      [2, 2],
      [4, 2],
      [6, 1],
    ]);
    expect(split.chunks[1]?.text).toBe(HEADER + "SKU-3,Chair 3,10.00,furniture,\nSKU-4,Chair 4,10.00,furniture,\n");
  });

  it("never cuts a quoted cell holding line breaks, and counts its lines", () => {
    const multiLine = 'SKU-2,"A chair\nwith a\r\nlong name",10.00,furniture,"{""material"": ""oak""}"\n';
    const file = HEADER + rows(1) + multiLine + rows(2, 3);

    const split = splitCsv(file, 2);

    expect(split.chunks).toHaveLength(2);
    expect(split.chunks[0]?.text).toBe(HEADER + rows(1) + multiLine);
    // SKU-2 takes lines 3 to 5, so SKU-3 is on line 6.
    expect(split.chunks[1]).toEqual({ text: HEADER + rows(2, 3), firstRow: 6, rows: 2 });
  });

  it("keeps the text of every row exactly as written", () => {
    const file = HEADER + 'SKU-1,"He said ""hi""",10.00,furniture,"{""a"": [1, 2]}"\r\nSKU-2,,,,\r\n';

    const [chunk] = splitCsv(file, 10).chunks;

    expect(chunk?.text).toBe(file);
  });

  it("keeps blank lines inside a chunk, so line numbers stay the file's, but does not count them", () => {
    const file = HEADER + rows(1) + "\n\n" + rows(2, 2);

    const split = splitCsv(file, 2);

    expect(split.rows).toBe(3);
    expect(split.chunks.map((chunk) => [chunk.firstRow, chunk.rows])).toEqual([
      [2, 2],
      [6, 1],
    ]);
    expect(split.chunks[0]?.text).toBe(HEADER + rows(1) + "\n\n" + rows(1, 2));
  });

  it("handles CRLF files, a byte-order mark and a last row without a line break", () => {
    const file = "\ufeffsku,name\r\nA,a\r\nB,b\r\nC,c";

    const split = splitCsv(file, 2);

    expect(split.chunks).toEqual([
      { text: "sku,name\r\nA,a\r\nB,b\r\n", firstRow: 2, rows: 2 },
      { text: "sku,name\r\nC,c", firstRow: 4, rows: 1 },
    ]);
  });

  it("gives no chunk for a file with a header only, or nothing at all", () => {
    expect(splitCsv("sku,name\n")).toEqual({ chunks: [], rows: 0 });
    expect(splitCsv("")).toEqual({ chunks: [], rows: 0 });
  });

  it("sends at most the chunk size, 200 rows by default", () => {
    const split = splitCsv(HEADER + rows(450));

    expect(split.chunks.map((chunk) => chunk.rows)).toEqual([200, 200, 50]);
    expect(split.chunks.map((chunk) => chunk.firstRow)).toEqual([2, 202, 402]);
  });
});
