import { strToU8, zipSync } from 'fflate';
import { csvLine, parseCsv } from '../../electron/core/util/csv';
import { readXlsx, writeXlsx } from '../../electron/core/export/xlsx';

describe('RFC 4180 CSV', () => {
  it('round-trips commas, quotes, line breaks and non-ASCII text', () => {
    const rows = [
      ['plain', 'a,b', 'say "hi"', 'two\r\nlines', 'Ñandú 🐋', ''],
      ['', '', '', '', '', 'last'],
    ];
    const text = rows.map(csvLine).join('');
    expect(text.startsWith('plain,"a,b","say ""hi""","two\r\nlines",Ñandú 🐋,\r\n')).toBe(true);
    expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
    expect(parseCsv(text).map((r) => r.line)).toEqual([1, 3]);
  });

  it('accepts LF line ends and a BOM, rejects broken quoting with the line', () => {
    expect(parseCsv('\ufeffa,b\nc,d\n').map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(() => parseCsv('a,b\nc,"d\n')).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parseCsv('a,b\nc,d"x"\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a,"b"x\n')).toThrow(/line 1: text after a closing quote/);
  });
});

describe('xlsx', () => {
  it('writes a sheet an independent reader (read-excel-file) gets back, numbers as numbers', async () => {
    const data = writeXlsx('Encounters', ['name', 'n', 'empty'], [['a <b> & "c"', 3.5, null], ['x\u0001y', 0, '']]);
    expect(await readXlsx(data)).toEqual([['name', 'n', 'empty'], ['a <b> & "c"', '3.5'], ['xy', '0']]);
  });

  it('reads shared strings, rich text, sparse cells and empty rows, as Excel and Wildbook write them', async () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const sheet = `<?xml version="1.0"?><worksheet ${ns}><sheetData>
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
      <row r="3"><c r="A3" t="s"><v>2</v></c><c r="C3"><v>2019</v></c></row></sheetData></worksheet>`;
    const shared = `<sst ${ns}><si><t>Encounter.mediaAsset0</t></si><si><r><t>Encounter.</t></r><r><t xml:space="preserve">year</t></r></si><si><t>a&amp;b.jpg</t></si></sst>`;
    const data = zipSync({
      '[Content_Types].xml': strToU8(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
          '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
      'xl/workbook.xml': strToU8(`<workbook ${ns} xmlns:r="${rel}"><sheets><sheet name="Encounters" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      'xl/_rels/workbook.xml.rels': strToU8(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(sheet),
      'xl/sharedStrings.xml': strToU8(shared),
    });
    expect(await readXlsx(data)).toEqual([['Encounter.mediaAsset0', '', 'Encounter.year'], [], ['a&b.jpg', '', '2019']]);
    await expect(readXlsx(strToU8('not a zip'))).rejects.toThrow(/not an .xlsx file/);
  });
});
