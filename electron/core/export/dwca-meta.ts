import { MULTIMEDIA_ROW, OCCURRENCE_ROW, multimediaColumns, occurrenceColumns, licenceUrls } from './dwca-terms';

const x = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** meta.xml per the Darwin Core text guide: tab-separated, no enclosing quotes, one header line. */
export function metaXml(withMultimedia: boolean): string {
  const table = (tag: 'core' | 'extension', rowType: string, file: string, cols: Array<[string, string]>) => {
    const idTag = tag === 'core' ? 'id' : 'coreid';
    const fields = cols
      .map(([, term], i) => (i === 0 && !term ? '' : `    <field index="${i}" term="${term}"/>`))
      .filter(Boolean)
      .join('\n');
    return (
      `  <${tag} encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="${rowType}">\n` +
      `    <files><location>${file}</location></files>\n    <${idTag} index="0"/>\n${fields}\n  </${tag}>`
    );
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">',
    table('core', OCCURRENCE_ROW, 'occurrence.txt', occurrenceColumns),
    ...(withMultimedia ? [table('extension', MULTIMEDIA_ROW, 'multimedia.txt', multimediaColumns)] : []),
    '</archive>',
    '',
  ].join('\n');
}

export interface EmlInput {
  title: string;
  institution: string;
  creator: string;
  licence: string;
  /** '' when the catalog never said: then no taxonomic coverage is claimed. */
  species: string;
  pubDate: string;
  packageId: string;
  begin?: string | null;
  end?: string | null;
  bbox?: { west: number; east: number; north: number; south: number } | null;
}

/** Minimal GBIF-profile EML: title, creator, licence (intellectualRights), coverage when known. */
export function emlXml(e: EmlInput): string {
  const lic = licenceUrls[e.licence];
  const rights = lic
    ? `This work is licensed under a <ulink url="${x(lic.url)}"><citetitle>${x(lic.title)}</citetitle></ulink>.`
    : x(e.licence);
  const party = (tag: string) =>
    `    <${tag}>\n${e.creator ? `      <individualName><surName>${x(e.creator)}</surName></individualName>\n` : ''}` +
    `${e.institution ? `      <organizationName>${x(e.institution)}</organizationName>\n` : ''}` +
    `${!e.creator && !e.institution ? '      <organizationName>unknown</organizationName>\n' : ''}    </${tag}>`;
  const coverage = [
    e.bbox
      ? `      <geographicCoverage><geographicDescription>Photo positions</geographicDescription><boundingCoordinates>` +
        `<westBoundingCoordinate>${e.bbox.west}</westBoundingCoordinate><eastBoundingCoordinate>${e.bbox.east}</eastBoundingCoordinate>` +
        `<northBoundingCoordinate>${e.bbox.north}</northBoundingCoordinate><southBoundingCoordinate>${e.bbox.south}</southBoundingCoordinate>` +
        `</boundingCoordinates></geographicCoverage>`
      : '',
    e.begin && e.end
      ? `      <temporalCoverage><rangeOfDates><beginDate><calendarDate>${x(e.begin.slice(0, 10))}</calendarDate></beginDate>` +
        `<endDate><calendarDate>${x(e.end.slice(0, 10))}</calendarDate></endDate></rangeOfDates></temporalCoverage>`
      : '',
    e.species
      ? `      <taxonomicCoverage><taxonomicClassification><taxonRankName>species</taxonRankName><taxonRankValue>${x(e.species)}</taxonRankValue></taxonomicClassification></taxonomicCoverage>`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="eml://ecoinformatics.org/eml-2.1.1 http://rs.gbif.org/schema/eml-gbif-profile/1.1/eml.xsd"
  packageId="${x(e.packageId)}" system="http://gbif.org" scope="system" xml:lang="en">
  <dataset>
    <title xml:lang="en">${x(e.title)}</title>
${party('creator')}
${party('metadataProvider')}
    <pubDate>${x(e.pubDate)}</pubDate>
    <language>en</language>
    <abstract><para>Photo-identification records of individually recognised animals${e.species ? ` (${x(e.species)})` : ''}, exported by Caudal. Each record is one photograph of one identified individual; organismID is the catalog's individual code.</para></abstract>
    <intellectualRights><para>${rights}</para></intellectualRights>
    <coverage>
${coverage}
    </coverage>
${party('contact')}
  </dataset>
</eml:eml>
`;
}
