// CSV text -> rows of strings (RFC 4180: quoted fields may hold the
// delimiter, newlines and "" for a quote). Browser-safe; reading files and
// .gz lives in ./node.ts.

export interface CsvOptions {
  /** field separator (default ',') */
  delimiter?: string;
}

/** Rows of fields; CRLF or LF line ends, a leading BOM dropped, empty lines skipped. */
export function parseCsv(text: string, options: CsvOptions = {}): string[][] {
  const delim = options.delimiter ?? ',';
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false, touched = false;
  const endRow = () => {
    if (touched) rows.push([...row, field]);
    row = [];
    field = '';
    touched = false;
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') {
        field += c;
      } else if (text[i + 1] === '"') {
        field += '"'; // "" inside quotes is one quote
        i++;
      } else {
        quoted = false;
      }
    } else if (c === '"') {
      quoted = touched = true;
    } else if (c === delim) {
      row.push(field);
      field = '';
      touched = true;
    } else if (c === '\n') {
      endRow();
    } else if (c !== '\r' || text[i + 1] !== '\n') {
      field += c;
      touched = true;
    }
  }
  if (quoted) throw new Error('parseCsv: unterminated quoted field');
  endRow();
  return rows;
}
