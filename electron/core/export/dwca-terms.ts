/** Namespaces of the terms a Caudal archive uses (Darwin Core, Dublin Core, GBIF extensions). */
export const DWC = 'http://rs.tdwg.org/dwc/terms/';
export const DC = 'http://purl.org/dc/terms/';
export const OCCURRENCE_ROW = `${DWC}Occurrence`;
export const MULTIMEDIA_ROW = 'http://rs.gbif.org/terms/1.0/Multimedia';

/** Occurrence core columns: [header, term IRI]. Column 0 is the record id (occurrenceID). */
export const occurrenceColumns: Array<[string, string]> = [
  ['occurrenceID', `${DWC}occurrenceID`],
  ['basisOfRecord', `${DWC}basisOfRecord`],
  ['occurrenceStatus', `${DWC}occurrenceStatus`],
  ['individualCount', `${DWC}individualCount`],
  ['eventID', `${DWC}eventID`],
  ['eventDate', `${DWC}eventDate`],
  ['decimalLatitude', `${DWC}decimalLatitude`],
  ['decimalLongitude', `${DWC}decimalLongitude`],
  ['geodeticDatum', `${DWC}geodeticDatum`],
  ['locality', `${DWC}locality`],
  ['scientificName', `${DWC}scientificName`],
  ['scientificNameID', `${DWC}scientificNameID`],
  ['kingdom', `${DWC}kingdom`],
  ['taxonRank', `${DWC}taxonRank`],
  ['organismID', `${DWC}organismID`],
  ['organismName', `${DWC}organismName`],
  ['sex', `${DWC}sex`],
  ['recordedBy', `${DWC}recordedBy`],
  ['identifiedBy', `${DWC}identifiedBy`],
  ['dateIdentified', `${DWC}dateIdentified`],
  ['identificationRemarks', `${DWC}identificationRemarks`],
  ['associatedMedia', `${DWC}associatedMedia`],
  ['institutionCode', `${DWC}institutionCode`],
  ['datasetName', `${DWC}datasetName`],
  ['license', `${DC}license`],
];

/** Simple Multimedia extension columns; column 0 is the core id it hangs from. */
export const multimediaColumns: Array<[string, string]> = [
  ['occurrenceID', ''],
  ['type', `${DC}type`],
  ['format', `${DC}format`],
  ['identifier', `${DC}identifier`],
  ['title', `${DC}title`],
  ['created', `${DC}created`],
  ['creator', `${DC}creator`],
  ['license', `${DC}license`],
  ['rightsHolder', `${DC}rightsHolder`],
];

/** Licence codes people type, as the URLs GBIF accepts in dcterms:license and EML. */
export const licenceUrls: Record<string, { url: string; title: string }> = {
  'CC0-1.0': { url: 'http://creativecommons.org/publicdomain/zero/1.0/legalcode', title: 'Public Domain (CC0 1.0)' },
  'CC-BY-4.0': { url: 'http://creativecommons.org/licenses/by/4.0/legalcode', title: 'Creative Commons Attribution (CC-BY) 4.0 License' },
  'CC-BY-NC-4.0': { url: 'http://creativecommons.org/licenses/by-nc/4.0/legalcode', title: 'Creative Commons Attribution Non Commercial (CC-BY-NC) 4.0 License' },
};
