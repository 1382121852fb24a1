import Papa from "papaparse";

/** Part of a CSV file as the import takes it: the file's header, then some of its rows, as
 * written in the file (quotes, line breaks inside quoted cells and all). */
export interface CsvChunk {
  text: string;
  /** The file line the chunk's first data line is on (the import's `first_row`), so that
   * the rows it reports are numbered as in the file. */
  firstRow: number;
  /** How many rows it holds (blank lines, which the import skips, not counted). */
  rows: number;
}

export interface CsvSplit {
  chunks: CsvChunk[];
  rows: number;
}

/** The import takes at most 1,000 rows a request; smaller chunks move the progress bar. */
export const ROWS_PER_CHUNK = 200;

const LINE_BREAK = /\r\n|\r|\n/g;

function lineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** Splits a CSV file into chunks of at most `rowsPerChunk` rows, each starting with the
 * header. Papa Parse finds where each record ends, so a quoted cell holding line breaks
 * is never cut; the text of each record is kept as it is, so the import parses the
 * chunks exactly as it would parse the whole file. */
export function splitCsv(file: string, rowsPerChunk: number = ROWS_PER_CHUNK): CsvSplit {
  const text = file.startsWith("\ufeff") ? file.slice(1) : file;
  const records: { raw: string; line: number; blank: boolean }[] = [];
  let consumed = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      const raw = text.slice(consumed, end);
      records.push({ raw, line, blank: result.data.every((cell) => cell.trim() === "") });
      line += lineBreaks(raw);
      consumed = end;
    },
  });
  if (consumed < text.length) {
    // What Papa Parse left unread (it should not): the import is the judge of it.
    records.push({ raw: text.slice(consumed), line, blank: false });
  }
  const [header, ...body] = records;
  if (!header) return { chunks: [], rows: 0 };
  const headerText = /(\r\n|\r|\n)$/.test(header.raw) ? header.raw : `${header.raw}\n`;

  const chunks: CsvChunk[] = [];
  let current: { parts: string[]; firstRow: number; rows: number } | null = null;
  let total = 0;
  for (const record of body) {
    if (record.blank && current === null) continue; // leading blank lines go nowhere
    current ??= { parts: [], firstRow: record.line, rows: 0 };
    current.parts.push(record.raw);
    if (!record.blank) {
      current.rows += 1;
      total += 1;
    }
    if (current.rows === rowsPerChunk) {
      chunks.push({ text: headerText + current.parts.join(""), firstRow: current.firstRow, rows: current.rows });
      current = null;
    }
  }
  if (current && current.rows > 0) {
    chunks.push({ text: headerText + current.parts.join(""), firstRow: current.firstRow, rows: current.rows });
  }
  return { chunks, rows: total };
}

/** The file's text, or null when it is not UTF-8 (the import takes nothing else). */
export async function readUtf8(file: Blob): Promise<string | null> {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return null;
  }
}
