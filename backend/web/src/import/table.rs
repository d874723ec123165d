//! Reading an uploaded table: CSV (UTF-8, UTF-8 with BOM, or GBK as Excel on Chinese Windows
//! writes it) or the first sheet of an .xlsx workbook. Columns are found by their header (Chinese
//! or English names); each data row is handed over as trimmed text in the kind's column order.

use std::io::Cursor;

use calamine::{Data, Reader};
use jinbao_store::repo::imports::StageRow;

/// A column a kind reads: the header names it accepts and whether it must be present.
pub struct Col {
    pub names: &'static [&'static str],
    pub required: bool,
}

pub const fn req(names: &'static [&'static str]) -> Col {
    Col { names, required: true }
}

pub const fn opt(names: &'static [&'static str]) -> Col {
    Col { names, required: false }
}

/// How a kind reads its file: the columns, the error when a required header is missing, and the
/// function turning one row's cells (in column order) into a staging row.
pub struct Spec {
    pub columns: &'static [Col],
    pub header_error: &'static str,
    pub row: fn(&[&str], &mut StageRow, chrono::NaiveDate),
}

/// Why reading stopped: the file itself (a code for the report), or the sink.
#[derive(Debug)]
pub enum ReadError<E> {
    File(&'static str),
    Sink(E),
}

/// Reads the file and hands its staging rows to `sink` in chunks of `chunk` rows (row numbers as a
/// spreadsheet shows them: header = 1), so that a large CSV is never held as rows all at once.
/// `total(n)` is told the number of data lines first (for progress; an upper bound for CSV).
pub fn read<E>(
    bytes: &[u8],
    spec: &Spec,
    today: chrono::NaiveDate,
    chunk: usize,
    total: impl FnOnce(usize),
    mut sink: impl FnMut(&[StageRow]) -> Result<(), E>,
) -> Result<usize, ReadError<E>> {
    let mut buf: Vec<StageRow> = Vec::with_capacity(chunk);
    let mut count = 0;
    let mut push = |row: StageRow, buf: &mut Vec<StageRow>| -> Result<(), E> {
        buf.push(row);
        if buf.len() >= chunk {
            sink(buf)?;
            buf.clear();
        }
        Ok(())
    };
    if bytes.starts_with(b"PK\x03\x04") {
        // The first sheet, cell by cell (never the whole sheet in memory): a row is complete when
        // the next row's first cell arrives.
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| ReadError::File("xlsx.invalid"))?;
        let sheet = book.sheet_names().first().cloned().ok_or(ReadError::File("xlsx.empty"))?;
        let mut cells = book.worksheet_cells_reader(&sheet).map_err(|_| ReadError::File("xlsx.invalid"))?;
        let dims = cells.dimensions();
        total((dims.end.0.saturating_sub(dims.start.0)) as usize);
        let mut pos: Option<Vec<Option<usize>>> = None;
        let mut row: Option<(u32, Vec<String>)> = None;
        loop {
            let cell = cells.next_cell().map_err(|_| ReadError::File("xlsx.invalid"))?;
            let next_row = cell.as_ref().map(|c| c.get_position().0);
            if row.as_ref().map(|r| r.0) != next_row {
                if let Some((r, texts)) = row.take() {
                    match &pos {
                        None => pos = Some(positions(&texts, spec).map_err(ReadError::File)?),
                        Some(p) => {
                            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                            if let Some(staged) = row_of(r as i32 + 1, &refs, p, spec, today) {
                                count += 1;
                                push(staged, &mut buf).map_err(ReadError::Sink)?;
                            }
                        }
                    }
                }
            }
            let Some(cell) = cell else { break };
            let (r, c) = cell.get_position();
            let entry = row.get_or_insert_with(|| (r, Vec::new()));
            let c = c as usize;
            if entry.1.len() <= c {
                entry.1.resize(c + 1, String::new());
            }
            entry.1[c] = cell_text(&Data::from(cell.get_value().clone()));
        }
        if pos.is_none() {
            return Err(ReadError::File("import.unreadable"));
        }
    } else {
        let text = crate::api::declarations::decode(bytes);
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let headers: Vec<String> = r.headers().map_err(|_| ReadError::File("import.unreadable"))?.iter().map(str::to_string).collect();
        let pos = positions(&headers, spec).map_err(ReadError::File)?;
        total(text.lines().count().saturating_sub(1));
        let mut rec = csv::StringRecord::new();
        let mut row_no = 1;
        loop {
            row_no += 1;
            let row = match r.read_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {
                    let cells: Vec<&str> = rec.iter().collect();
                    row_of(row_no, &cells, &pos, spec, today)
                }
                Err(_) => {
                    let mut row = StageRow { row_no, ..StageRow::default() };
                    row.fail("*", "csv.row", "");
                    Some(row)
                }
            };
            if let Some(row) = row {
                count += 1;
                push(row, &mut buf).map_err(ReadError::Sink)?;
            }
        }
    }
    if !buf.is_empty() {
        sink(&buf).map_err(ReadError::Sink)?;
    }
    Ok(count)
}

/// Parses the whole file into staging rows (tests and small files).
pub fn parse(bytes: &[u8], spec: &Spec, today: chrono::NaiveDate) -> Result<Vec<StageRow>, &'static str> {
    let mut all = Vec::new();
    match read(
        bytes,
        spec,
        today,
        10_000,
        |_| {},
        |rows: &[StageRow]| -> Result<(), ()> {
            all.extend_from_slice(rows);
            Ok(())
        },
    ) {
        Ok(_) => Ok(all),
        Err(ReadError::File(code)) => Err(code),
        Err(ReadError::Sink(())) => Err("csv.row"),
    }
}

fn positions(headers: &[String], spec: &Spec) -> Result<Vec<Option<usize>>, &'static str> {
    let pos: Vec<Option<usize>> =
        spec.columns.iter().map(|c| headers.iter().position(|h| c.names.contains(&h.trim().trim_start_matches('\u{feff}')))).collect();
    if spec.columns.iter().zip(&pos).any(|(c, p)| c.required && p.is_none()) {
        return Err(spec.header_error);
    }
    Ok(pos)
}

fn row_of(row_no: i32, cells: &[&str], pos: &[Option<usize>], spec: &Spec, today: chrono::NaiveDate) -> Option<StageRow> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    let values: Vec<&str> = pos.iter().map(|p| p.and_then(|i| cells.get(i)).map_or("", |c| c.trim())).collect();
    let mut row = StageRow { row_no, ..StageRow::default() };
    if values.iter().any(|v| v.contains('\0')) {
        // A NUL character cannot be stored; the row is reported instead of failing the import.
        row.fail("*", "csv.row", "");
        return Some(row);
    }
    (spec.row)(&values, &mut row, today);
    Some(row)
}

/// A cell as text the way a person reads it: whole numbers without ".0", dates as YYYY-MM-DD.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_datetime().map(|t| t.date().format("%Y-%m-%d").to_string()).unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(_) => String::new(),
    }
}
