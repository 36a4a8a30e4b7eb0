// GeoNames feature codes in words: what an analyst reads instead of
// "A.PCLI" or "P.PPLA3". Codes not listed are named by their class.

const CODES = {
  'A.PCLI': 'country', 'A.PCL': 'country', 'A.PCLF': 'country (freely associated)', 'A.PCLS': 'country (semi-independent)',
  'A.PCLD': 'dependent territory', 'A.PCLIX': 'section of a country', 'A.TERR': 'territory', 'A.ZN': 'zone',
  'A.ADM1': 'province or state', 'A.ADM1H': 'former province', 'A.ADM2': 'district', 'A.ADM2H': 'former district',
  'A.ADM3': 'sub-district', 'A.ADM4': 'municipality or commune', 'A.ADM5': 'local division', 'A.ADMD': 'administrative division',
  'P.PPLC': 'capital city', 'P.PPLG': 'seat of government', 'P.PPLA': 'capital of a province or state', 'P.PPLA2': 'district capital',
  'P.PPLA3': 'sub-district capital', 'P.PPLA4': 'municipal seat', 'P.PPLA5': 'local seat', 'P.PPL': 'town or village',
  'P.PPLX': 'neighbourhood', 'P.PPLL': 'locality', 'P.PPLF': 'farm village', 'P.PPLR': 'religious community',
  'P.PPLS': 'populated places', 'P.PPLQ': 'abandoned place', 'P.PPLW': 'destroyed place', 'P.PPLH': 'historical place',
  'P.PPLCH': 'historical capital', 'P.STLMT': 'settlement',
  'L.RGN': 'region', 'L.AREA': 'area', 'L.CONT': 'continent', 'L.OILF': 'oil field', 'L.MILB': 'military base',
  'L.CMN': 'common', 'L.PRK': 'park', 'L.INDS': 'industrial area', 'L.PRT': 'port',
  'H.STM': 'river or stream', 'H.LK': 'lake', 'H.SEA': 'sea', 'H.BAY': 'bay', 'H.GULF': 'gulf', 'H.OCN': 'ocean',
  'H.STRT': 'strait', 'H.CNL': 'canal', 'H.RSV': 'reservoir', 'H.WAD': 'wadi', 'H.SPNG': 'spring', 'H.WLL': 'well',
  'T.MT': 'mountain', 'T.MTS': 'mountains', 'T.HLL': 'hill', 'T.HLLS': 'hills', 'T.ISL': 'island', 'T.ISLS': 'islands',
  'T.PEN': 'peninsula', 'T.VAL': 'valley', 'T.PLN': 'plain', 'T.PLAT': 'plateau', 'T.DSRT': 'desert', 'T.CAPE': 'cape',
  'T.PASS': 'pass', 'T.OAS': 'oasis', 'T.DPR': 'depression',
  'S.AIRP': 'airport', 'S.AIRB': 'air base', 'S.AIRF': 'airfield', 'S.BDG': 'bridge', 'S.PRT': 'port', 'S.CMP': 'camp',
  'S.CMPRF': 'refugee camp', 'S.MILB': 'military base', 'S.INSM': 'military installation', 'S.HSP': 'hospital',
  'S.SCH': 'school', 'S.UNIV': 'university', 'S.MSQE': 'mosque', 'S.CH': 'church', 'S.STDM': 'stadium',
  'S.PS': 'power station', 'S.DAM': 'dam', 'S.CSTL': 'castle', 'S.FT': 'fort', 'S.RSTN': 'railway station',
  'S.MKT': 'market', 'S.HTL': 'hotel', 'S.BLDG': 'building', 'S.PO': 'post office', 'S.PRN': 'prison',
  'S.CSTM': 'customs post', 'S.BCN': 'beacon', 'S.OILR': 'oil refinery', 'S.FCL': 'facility', 'S.RUIN': 'ruin',
  'S.ANS': 'archaeological site', 'S.HSTS': 'historical site', 'S.SQR': 'square', 'S.GDN': 'garden',
  'R.RD': 'road', 'R.ST': 'street', 'R.RR': 'railway', 'R.TNL': 'tunnel',
};

const CLASSES = {
  A: 'administrative area', P: 'populated place', L: 'area', H: 'water', T: 'terrain', S: 'site or building',
  R: 'road or railway', U: 'undersea feature', V: 'vegetation',
};

// featureWords names a GeoNames "class.code" in words: '' for none.
export function featureWords(code) {
  if (!code) return '';
  return CODES[code] || CLASSES[code[0]] || '';
}

// scoreText writes a score (0…1) as a percentage, '' when it rounds to 0
// and so tells nothing.
export function scoreText(s) {
  if (s == null || !Number.isFinite(s)) return '';
  const p = Math.round(s * 100);
  return p > 0 ? p + '%' : '';
}
