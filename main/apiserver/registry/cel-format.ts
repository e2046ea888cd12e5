// Kubernetes' CEL format library (k8s.io/apiserver/pkg/cel/library/format.go, 1.31+): format.named(name) — an
// optional Format — and format.<name>() for each named format, whose validate(s) is optional.none() when `s` is
// valid and otherwise the list of apimachinery's messages (the same words as a name's or label's validation):
//   !format.dns1123Label().validate(self).hasValue()
//   format.named("labelValue").value().validate(self).value().join("\n")
import { CelScalar, celFunc, celList, celMethod } from '@bufbuild/cel';
import { isQualifiedName, isValidLabelValue } from '../../api/validation/names';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../../api/validation/meta';
import { FORMATS } from '../../api/validation/custom-object-extras';
import { parseRequestURI } from '../../api/go-url';
import { CelOpaque } from './cel-types';
import { OPTIONAL, optionalOf } from './cel-optional';

const { STRING } = CelScalar;

const strfmt = (format: string, message: string) => (s: string) => (FORMATS[format]?.(s) ? [] : [message]);

/** library.ConstantFormats: each name's validation, returning apimachinery's messages. */
const VALIDATORS: Record<string, (s: string) => string[]> = {
  dns1123Label: (s) => nameIsDNSLabel(s, false),
  dns1123Subdomain: (s) => nameIsDNSSubdomain(s, false),
  dns1035Label: (s) => nameIsDNS1035Label(s, false),
  qualifiedName: isQualifiedName,
  dns1123LabelPrefix: (s) => nameIsDNSLabel(s, true),
  dns1123SubdomainPrefix: (s) => nameIsDNSSubdomain(s, true),
  dns1035LabelPrefix: (s) => nameIsDNS1035Label(s, true),
  labelValue: isValidLabelValue,
  uri: (s) => {
    const u = parseRequestURI(s);
    return 'error' in u ? [u.error] : [];
  },
  uuid: strfmt('uuid', 'does not match the UUID format'),
  byte: strfmt('byte', 'invalid base64'),
  date: strfmt('date', 'invalid date'),
  datetime: strfmt('date-time', 'invalid datetime'),
};

export const FORMAT = new CelOpaque<{ name: string }, string>('kubernetes', 'NamedFormat', { name: 'string' });

const formatOf = (name: string) => FORMAT.of({ name }, name);

export const FORMAT_FUNCS = [
  celFunc('format.named', [STRING], OPTIONAL.type, (name) => optionalOf(Object.hasOwn(VALIDATORS, name) ? formatOf(name) : undefined)),
  ...Object.keys(VALIDATORS).map((name) => celFunc(`format.${name}`, [], FORMAT.type, () => formatOf(name))),
  celMethod('validate', FORMAT.type, [STRING], OPTIONAL.type, function validate(s) {
    const errors = VALIDATORS[FORMAT.must(this)](s);
    return optionalOf(errors.length ? celList(errors) : undefined);
  }),
];
