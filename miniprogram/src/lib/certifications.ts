// The certifications a buyer can filter by. No endpoint lists them (the product page has each
// product's own), so this is the fixed list of codes the catalogue uses (catalogue
// Certification.code; demo/data.py CERTIFICATIONS), most common first. A code the
// API does not know simply finds nothing.
export const CERTIFICATION_CODES = [
  'haccp',
  'gacc-registered',
  'organic-pacific',
  'organic-biogro',
  'organic-usda',
  'organic-eu',
  'msc',
  'fairtrade',
  'halal',
  'iso-22000',
  'fijian-made',
] as const

export type CertificationCode = (typeof CERTIFICATION_CODES)[number]
