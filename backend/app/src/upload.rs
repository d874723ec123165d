//! Bounds on every uploaded file (imports, declarations, payment results, bank statements), so
//! that no upload can make the server allocate without limit. A file beyond a bound is refused as
//! a whole with a file-level code (422, field `file`); docs/import-format.md lists the bounds.
//!
//! An .xlsx workbook is a zip archive whose parts can inflate a thousandfold, so before the
//! workbook reader sees it, [`check_xlsx`] reads every part through a counting reader: the
//! number of parts, each part's *actual* inflated size (the sizes declared in the archive can
//! lie), their total, the number of shared strings, the longest XML token, and every cell
//! reference. While cells are read, [`Bounds`] then limits columns, rows and the text of a cell.

use std::io::{Cursor, Read};

use jinbao_store::repo::declarations::RowProblem;

/// Columns of a table (CSV record or worksheet row): the widest standard file has 8.
pub const MAX_COLUMNS: usize = 64;
/// Data rows of a table: Excel's own sheet limit (1,048,576 rows), so any sheet Excel writes fits.
pub const MAX_ROWS: usize = 1_048_576;
/// Characters of one cell: the longest field stored is 200 characters (an address).
pub const MAX_CELL_CHARS: usize = 1_000;
/// Row problems of one payment-results or bank-statement file before the file is refused whole.
pub const MAX_PROBLEMS: usize = 10_000;

/// Parts (entries) of a workbook's zip archive: a workbook from Excel has about 10–20.
pub const XLSX_MAX_ENTRIES: usize = 1_000;
/// Inflated size of one worksheet part (`xl/worksheets/…`); worksheets are streamed, never held.
/// A full sheet of the persons file (1,048,576 rows) is about 230 MiB.
pub const XLSX_MAX_SHEET_BYTES: u64 = 512 * 1024 * 1024;
/// Inflated size of the shared-strings part, which the reader holds in memory; this also bounds
/// the total length of the shared strings (the text of a string is never longer than its XML).
/// A full persons sheet whose five text columns are all distinct needs about 150 MiB.
pub const XLSX_MAX_SHARED_STRINGS_BYTES: u64 = 256 * 1024 * 1024;
/// Shared strings (`<si>` items): five distinct text columns of a full Excel sheet.
pub const XLSX_MAX_SHARED_STRINGS: usize = 5 * 1_048_576;
/// Inflated size of any other part (workbook, styles, relationships, themes, pictures).
pub const XLSX_MAX_PART_BYTES: u64 = 16 * 1024 * 1024;
/// Inflated size of all parts together.
pub const XLSX_MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Longest run of an XML part between two `<`/`>` (a text or a tag): bounds the reader's
/// buffers. Excel's own cell limit is 32,767 characters (at most 128 KiB escaped).
pub const XLSX_MAX_TOKEN_BYTES: usize = 1024 * 1024;
/// Longest cell reference Excel can write: `XFD1048576` (column ≤ 3 letters, row ≤ 7 digits).
const MAX_REF_LETTERS: usize = 3;
const MAX_REF_DIGITS: usize = 7;

/// Every file-level code these bounds answer with (each has a message in both catalogues).
pub const CODES: &[&str] = &[
    "upload.too_many_columns",
    "upload.too_many_rows",
    "upload.cell_too_long",
    "upload.too_many_problems",
    "xlsx.too_many_entries",
    "xlsx.too_large",
    "xlsx.shared_strings",
    "xlsx.cell_reference",
    "xlsx.invalid",
    "text.nul",
    "text.control_chars",
];

/// Checks a workbook's archive before it is opened; `Err` is the file-level code.
pub fn check_xlsx(bytes: &[u8]) -> Result<(), &'static str> {
    // The central directory is read whole by the zip reader: count its entry signatures first.
    let entries = memchr_count(bytes, b"PK\x01\x02");
    if entries > XLSX_MAX_ENTRIES {
        return Err("xlsx.too_many_entries");
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| "xlsx.invalid")?;
    if zip.len() > XLSX_MAX_ENTRIES {
        return Err("xlsx.too_many_entries");
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| "xlsx.invalid")?;
        let name = entry.name().to_ascii_lowercase();
        let sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let shared = name == "xl/sharedstrings.xml";
        let limit = if sheet {
            XLSX_MAX_SHEET_BYTES
        } else if shared {
            XLSX_MAX_SHARED_STRINGS_BYTES
        } else {
            XLSX_MAX_PART_BYTES
        };
        let too_large = if shared { "xlsx.shared_strings" } else { "xlsx.too_large" };
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        // References are checked in every part: a workbook may place its sheet anywhere.
        let mut scan = XmlScan::new(!shared, shared);
        // One byte past the bound is enough to know it is exceeded; never trust the declared size.
        let mut part = (&mut entry).take(limit + 1);
        let mut size = 0u64;
        loop {
            let n = part.read(&mut buf).map_err(|_| "xlsx.invalid")?;
            if n == 0 {
                break;
            }
            size += n as u64;
            total += n as u64;
            if size > limit {
                return Err(too_large);
            }
            if total > XLSX_MAX_TOTAL_BYTES {
                return Err("xlsx.too_large");
            }
            if xml {
                scan.feed(&buf[..n])?;
            }
        }
        if scan.shared_strings > XLSX_MAX_SHARED_STRINGS {
            return Err("xlsx.shared_strings");
        }
    }
    Ok(())
}

fn memchr_count(hay: &[u8], needle: &[u8; 4]) -> usize {
    hay.windows(4).filter(|w| w == needle).count()
}

/// A streaming look at one XML part, byte by byte (so nothing straddles chunk boundaries): token
/// length, `<si` (or prefixed `<x:si`) items of the shared strings, and `r`/`ref` references.
struct XmlScan {
    refs: bool,
    shared: bool,
    /// Bytes since the last `<` or `>`.
    run: usize,
    /// The last eight bytes, the newest in the low byte.
    window: u64,
    /// The reference being read (after `r="` or `ref="`).
    value: Option<Vec<u8>>,
    /// Inside a closing tag (`</x:si>` is not an item).
    closing: bool,
    shared_strings: usize,
}

const fn tail(pattern: &[u8]) -> (u64, u64) {
    let mut v = 0u64;
    let mut i = 0;
    while i < pattern.len() {
        v = (v << 8) | pattern[i] as u64;
        i += 1;
    }
    (v, (1u64 << (8 * pattern.len())) - 1)
}

const R_ATTR: (u64, u64) = tail(b" r=");
const REF_ATTR: (u64, u64) = tail(b" ref=");
const SI: (u64, u64) = tail(b"<si");
const PREFIXED_SI: (u64, u64) = tail(b":si");

impl XmlScan {
    fn new(refs: bool, shared: bool) -> XmlScan {
        XmlScan { refs, shared, run: 0, window: 0, value: None, closing: false, shared_strings: 0 }
    }

    fn ends_with(&self, (v, mask): (u64, u64)) -> bool {
        self.window & mask == v
    }

    fn feed(&mut self, chunk: &[u8]) -> Result<(), &'static str> {
        for &b in chunk {
            if b == b'/' && self.window & 0xFF == u64::from(b'<') {
                self.closing = true;
            }
            if b == b'<' || b == b'>' {
                self.run = 0;
            } else {
                self.run += 1;
                if self.run > XLSX_MAX_TOKEN_BYTES {
                    return Err("upload.cell_too_long");
                }
            }
            if let Some(v) = &mut self.value {
                if b == b'"' {
                    if !reference_ok(v) {
                        return Err("xlsx.cell_reference");
                    }
                    self.value = None;
                } else if v.len() > 2 * (MAX_REF_LETTERS + MAX_REF_DIGITS + 2) {
                    // Longer than a range of two of the longest references: not Excel's.
                    return Err("xlsx.cell_reference");
                } else {
                    v.push(b);
                }
            } else if self.refs && b == b'"' && (self.ends_with(R_ATTR) || self.ends_with(REF_ATTR)) {
                self.value = Some(Vec::with_capacity(16));
            } else if self.shared
                && !self.closing
                && (self.ends_with(SI) || self.ends_with(PREFIXED_SI))
                && matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
            {
                self.shared_strings += 1;
            }
            if b == b'>' {
                self.closing = false;
            }
            self.window = (self.window << 8) | u64::from(b);
        }
        Ok(())
    }
}

/// A cell reference (`B2`), a row number (`2`), a range (`A1:E9`) or a list of them: none past
/// Excel's grid (`XFD1048576`). Excel writes no reference longer than that.
fn reference_ok(v: &[u8]) -> bool {
    v.split(|&b| b == b':' || b == b' ').all(|one| {
        let one = one.iter().filter(|&&b| b != b'$').copied().collect::<Vec<u8>>();
        let letters = one.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = &one[letters..];
        letters <= MAX_REF_LETTERS
            && digits.len() <= MAX_REF_DIGITS
            && digits.iter().all(u8::is_ascii_digit)
            && (letters < MAX_REF_LETTERS || one[..letters].to_ascii_uppercase().as_slice() <= b"XFD".as_slice())
            && (digits.len() < MAX_REF_DIGITS || digits <= b"1048576".as_slice())
    })
}

/// Bounds of a table while it is read: columns, rows and the characters of a cell.
pub struct Bounds;

impl Bounds {
    /// A record's width (number of cells, or the 0-based column index + 1 of a cell).
    pub fn columns(n: usize) -> Result<(), &'static str> {
        if n > MAX_COLUMNS {
            Err("upload.too_many_columns")
        } else {
            Ok(())
        }
    }

    /// The number of data rows read so far.
    pub fn rows(n: usize) -> Result<(), &'static str> {
        if n > MAX_ROWS {
            Err("upload.too_many_rows")
        } else {
            Ok(())
        }
    }

    /// One cell's text (characters, counted only when the bytes could exceed the bound).
    pub fn cell(text: &str) -> Result<(), &'static str> {
        if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
            Err("upload.cell_too_long")
        } else {
            Ok(())
        }
    }

    /// A whole CSV record: its width and every cell.
    pub fn record(rec: &csv::StringRecord) -> Result<(), &'static str> {
        Bounds::columns(rec.len())?;
        rec.iter().try_for_each(Bounds::cell)
    }
}

/// A CSV upload read record by record, refused at the first record past a bound.
pub struct CsvUpload<'a> {
    reader: csv::Reader<&'a [u8]>,
    rec: csv::StringRecord,
    rows: usize,
}

/// One data record: `Ok((row_no, record))`, or `Err(row_no)` when it cannot be read (row numbers
/// as a spreadsheet shows them: header = 1).
pub type CsvRecord<'r> = Result<(usize, &'r csv::StringRecord), usize>;

impl<'a> CsvUpload<'a> {
    /// Opens the text and reads its header (`Err(None)`: the header cannot be read; `Err(Some)`:
    /// a bound's code).
    pub fn open(text: &'a str, trim: bool) -> Result<(CsvUpload<'a>, csv::StringRecord), Option<&'static str>> {
        let mut b = csv::ReaderBuilder::new();
        b.flexible(true);
        if trim {
            b.trim(csv::Trim::All);
        }
        let mut reader = b.from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|_| None)?.clone();
        Bounds::record(&headers).map_err(Some)?;
        Ok((CsvUpload { reader, rec: csv::StringRecord::new(), rows: 0 }, headers))
    }

    /// The next data record, `None` at the end, `Err` with a bound's code.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<CsvRecord<'_>>, &'static str> {
        let row_no = self.rows + 2;
        let read = self.reader.read_record(&mut self.rec);
        if matches!(read, Ok(false)) {
            return Ok(None);
        }
        self.rows += 1;
        Bounds::rows(self.rows)?;
        match read {
            Ok(_) => {
                Bounds::record(&self.rec)?;
                Ok(Some(Ok((row_no, &self.rec))))
            }
            Err(_) => Ok(Some(Err(row_no))),
        }
    }
}

/// A CSV read by named columns, the shape of every row-by-row upload (declarations, the bank's card
/// file, the medical catalogue): `columns` lists, per wanted column, the header names accepted for
/// it (a byte-order mark ignored); a wanted column missing from the header refuses the file with
/// `missing`. Each data row that has any cell is given to `row` with its number as a spreadsheet
/// shows it (header = 1), its cells in the order of `columns`, and its optional columns
/// ([`RowColumns::optional`]); a row that cannot be read is reported as `csv.row`. More than
/// [`MAX_PROBLEMS`] problems refuse the file (`upload.too_many_problems`); a file without rows
/// `csv.empty`.
pub fn read_named<T>(
    text: &str,
    columns: &[&[&str]],
    missing: &'static str,
    mut row: impl FnMut(usize, &[&str], &RowColumns<'_>, &mut Vec<RowProblem>) -> Option<T>,
) -> Result<(Vec<T>, Vec<RowProblem>), crate::error::AppError> {
    use crate::error::AppError;
    let (mut r, headers) = CsvUpload::open(text, true).map_err(|e| AppError::field("file", e.unwrap_or("csv.header")))?;
    let Some(at) = columns.iter().map(|names| position(&headers, names)).collect::<Option<Vec<usize>>>() else {
        return Err(AppError::field("file", missing));
    };
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    while let Some(rec) = r.next().map_err(|code| AppError::field("file", code))? {
        if problems.len() > MAX_PROBLEMS {
            return Err(AppError::field("file", "upload.too_many_problems"));
        }
        let (n, rec) = match rec {
            Ok(rec) => rec,
            Err(n) => {
                problems.push(RowProblem { row: n, column: "*".into(), value: String::new(), code: "csv.row".into() });
                continue;
            }
        };
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let cells: Vec<&str> = at.iter().map(|&i| rec.get(i).unwrap_or("")).collect();
        if let Some(t) = row(n, &cells, &RowColumns { headers: &headers, rec }, &mut problems) {
            rows.push(t);
        }
    }
    if rows.is_empty() && problems.is_empty() {
        return Err(AppError::field("file", "csv.empty"));
    }
    if problems.len() > MAX_PROBLEMS {
        return Err(AppError::field("file", "upload.too_many_problems"));
    }
    Ok((rows, problems))
}

fn position(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&h.trim_start_matches('\u{feff}')))
}

/// One row of a file read by [`read_named`], for its optional columns.
pub struct RowColumns<'a> {
    headers: &'a csv::StringRecord,
    rec: &'a csv::StringRecord,
}

impl RowColumns<'_> {
    /// The cell of an optional column (by any of its header names); `None` when the file has no
    /// such column.
    pub fn optional(&self, names: &[&str]) -> Option<&str> {
        position(self.headers, names).map(|i| self.rec.get(i).unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_inside_excel_grid_only() {
        for ok in ["A1", "XFD1048576", "$B$2", "A1:E9", "1", "A:A", "1:1", "A1 B2:C3", "xfd1"] {
            assert!(reference_ok(ok.as_bytes()), "{ok}");
        }
        for bad in ["ZZZZZZ2", "XFE1", "A1048577", "A99999999999", "ZZZZZZZZZZZZ99999999999", "A1:ZZZZ1", "1A", "A-1"] {
            assert!(!reference_ok(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn scan_counts_shared_strings_across_chunk_boundaries() {
        let xml = r#"<sst xmlns:x="m"><si><t>a</t></si><si/><x:si ><x:t>b</x:t></x:si><sheet/></sst>"#.repeat(100);
        for size in [1, 2, 3, 5, 7, 64, 10_000] {
            let mut s = XmlScan::new(false, true);
            for c in xml.as_bytes().chunks(size) {
                s.feed(c).unwrap();
            }
            assert_eq!(s.shared_strings, 300, "chunks of {size}");
        }
    }

    #[test]
    fn scan_checks_references_across_chunk_boundaries() {
        let good = r#"<row r="2"><c r="B2" t="s"><v>1</v></c></row><dimension ref="A1:E9"/>"#.repeat(50);
        let bad = format!("{good}<c r=\"ZZZZZZ2\"/>");
        for size in [1, 3, 7, 64, 10_000] {
            let mut s = XmlScan::new(true, false);
            assert!(good.as_bytes().chunks(size).try_for_each(|c| s.feed(c)).is_ok(), "chunks of {size}");
            let mut s = XmlScan::new(true, false);
            assert_eq!(bad.as_bytes().chunks(size).try_for_each(|c| s.feed(c)), Err("xlsx.cell_reference"), "chunks of {size}");
        }
    }

    /// Each record as (row, width), or the row that could not be read.
    type Seen = Vec<Result<(usize, usize), usize>>;

    fn read_all(text: &str) -> Result<Seen, Option<&'static str>> {
        let (mut r, _) = CsvUpload::open(text, true)?;
        let mut seen = Vec::new();
        while let Some(rec) = r.next().map_err(Some)? {
            seen.push(rec.map(|(n, rec)| (n, rec.len())));
        }
        Ok(seen)
    }

    #[test]
    fn csv_bounds() {
        assert_eq!(read_all(&format!("a{}\n", ",b".repeat(MAX_COLUMNS))), Err(Some("upload.too_many_columns")));
        assert_eq!(read_all(&format!("a\n1{}\n", ",b".repeat(MAX_COLUMNS))), Err(Some("upload.too_many_columns")));
        assert_eq!(read_all(&format!("a,b\n1,{}\n", "长".repeat(MAX_CELL_CHARS + 1))), Err(Some("upload.cell_too_long")));
        assert!(read_all(&format!("a,b\n1,{}\n", "长".repeat(MAX_CELL_CHARS))).is_ok());
        assert_eq!(read_all(&format!("a\n{}", "1\n".repeat(MAX_ROWS + 1))), Err(Some("upload.too_many_rows")));
        assert_eq!(read_all(&format!("a\n{}", "1\n".repeat(MAX_ROWS))).map(|v| v.len()), Ok(MAX_ROWS));
        assert_eq!(read_all("a,b\n1,2\n\n3\n"), Ok(vec![Ok((2, 2)), Ok((3, 1))]));
        assert_eq!(read_all(""), Ok(vec![]));
    }
}
