//! Reading an uploaded table: CSV (UTF-8, UTF-8 with BOM, or GBK as Excel on Chinese Windows
//! writes it) or the first sheet of an .xlsx workbook. Columns are found by their header (Chinese
//! or English names); each data row is handed over as trimmed text in the kind's column order.

use std::io::Cursor;

use calamine::{Data, Reader};
use jinbao_store::repo::imports::StageRow;

use crate::upload::{Bounds, CsvUpload, MAX_ROWS};

/// A column a kind reads: the header names it accepts and whether it must be present.
pub struct Col {
    pub names: &'static [&'static str],
    pub required: bool,
}

impl Col {
    /// The column's English name (the last accepted name), as reports name it.
    pub fn key(&self) -> &'static str {
        self.names.last().copied().unwrap_or("*")
    }
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
        // The archive is checked before the workbook reader sees it (upload.rs): parts, inflated
        // sizes, shared strings, cell references.
        crate::upload::check_xlsx(bytes).map_err(ReadError::File)?;
        // The first sheet, cell by cell (never the whole sheet in memory): a row is complete when
        // the next row's first cell arrives. The reader is third-party code fed hostile input: a
        // panic inside it is an unreadable file, not a server error.
        let mut book: calamine::Xlsx<_> =
            guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| "xlsx.invalid")).map_err(ReadError::File)?;
        let sheet = book.sheet_names().first().cloned().ok_or(ReadError::File("xlsx.empty"))?;
        let mut cells = guard(|| book.worksheet_cells_reader(&sheet).map_err(|_| "xlsx.invalid")).map_err(ReadError::File)?;
        let dims = cells.dimensions();
        total((dims.end.0.saturating_sub(dims.start.0) as usize).min(MAX_ROWS));
        let mut pos: Option<Vec<Option<usize>>> = None;
        let mut row: Option<(u32, Vec<String>)> = None;
        loop {
            let cell = guard(|| {
                let cell = cells.next_cell().map_err(|_| "xlsx.invalid")?;
                Ok(cell.map(|c| (c.get_position(), cell_text(&Data::from(c.get_value().clone())))))
            })
            .map_err(ReadError::File)?;
            let next_row = cell.as_ref().map(|c| c.0 .0);
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
            let Some(((r, c), text)) = cell else { break };
            // Bounds before the row grows for the cell: its column, its row, its text.
            let c = c as usize;
            Bounds::columns(c + 1).map_err(ReadError::File)?;
            Bounds::rows(r as usize).map_err(ReadError::File)?;
            Bounds::cell(&text).map_err(ReadError::File)?;
            let entry = row.get_or_insert_with(|| (r, Vec::new()));
            if entry.1.len() <= c {
                entry.1.resize(c + 1, String::new());
            }
            entry.1[c] = text;
        }
        if pos.is_none() {
            return Err(ReadError::File("import.unreadable"));
        }
    } else {
        let text = crate::declarations::decode(bytes);
        let (mut records, headers) = CsvUpload::open(&text, false).map_err(|e| ReadError::File(e.unwrap_or("import.unreadable")))?;
        let headers: Vec<String> = headers.iter().map(str::to_string).collect();
        let pos = positions(&headers, spec).map_err(ReadError::File)?;
        total(text.lines().count().saturating_sub(1).min(MAX_ROWS));
        while let Some(rec) = records.next().map_err(ReadError::File)? {
            let row = match rec {
                Ok((row_no, rec)) => {
                    let cells: Vec<&str> = rec.iter().collect();
                    row_of(row_no as i32, &cells, &pos, spec, today)
                }
                Err(row_no) => {
                    let mut row = StageRow { row_no: row_no as i32, ..StageRow::default() };
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
    if let Some(i) = values.iter().position(|v| v.contains('\0')) {
        // A NUL character cannot be stored; the row is reported (on the column's English name)
        // instead of failing the import.
        row.fail(spec.columns[i].key(), "text.nul", "");
        return Some(row);
    }
    (spec.row)(&values, &mut row, today);
    Some(row)
}

/// Runs third-party reader code on hostile input: a panic inside it (an overflow on a crafted
/// value, say) is an unreadable file, not a server error.
fn guard<T>(f: impl FnOnce() -> Result<T, &'static str>) -> Result<T, &'static str> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or(Err("xlsx.invalid"))
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

/// The first sheet of an .xlsx workbook as CSV text (UTF-8, a header line first), for the small
/// uploads that read CSV (the wage declaration): checked as every workbook is, cell by cell, and
/// refused (`upload.too_large`) past `max_bytes` of text.
pub fn sheet_as_csv(bytes: &[u8], max_bytes: usize) -> Result<String, &'static str> {
    crate::upload::check_xlsx(bytes)?;
    let mut book: calamine::Xlsx<_> = guard(|| calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| "xlsx.invalid"))?;
    let sheet = book.sheet_names().first().cloned().ok_or("xlsx.empty")?;
    let mut cells = guard(|| book.worksheet_cells_reader(&sheet).map_err(|_| "xlsx.invalid"))?;
    let mut out = String::new();
    let mut line: Vec<String> = Vec::new();
    let mut current: Option<u32> = None;
    let flush = |line: &mut Vec<String>, out: &mut String| -> Result<(), &'static str> {
        let cells: Vec<String> = line
            .drain(..)
            .map(|c| if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
        if out.len() > max_bytes {
            return Err("upload.too_large");
        }
        Ok(())
    };
    loop {
        let cell = guard(|| {
            let cell = cells.next_cell().map_err(|_| "xlsx.invalid")?;
            Ok(cell.map(|c| (c.get_position(), cell_text(&Data::from(c.get_value().clone())))))
        })?;
        let Some(((r, c), text)) = cell else { break };
        Bounds::columns(c as usize + 1)?;
        Bounds::rows(r as usize)?;
        Bounds::cell(&text)?;
        if current != Some(r) {
            if current.is_some() {
                flush(&mut line, &mut out)?;
            }
            current = Some(r);
        }
        if line.len() <= c as usize {
            line.resize(c as usize + 1, String::new());
        }
        line[c as usize] = text;
    }
    if current.is_some() {
        flush(&mut line, &mut out)?;
    }
    Ok(out)
}
