#!/usr/bin/env python3
# Regenerates ./schemas/*.ts, the protobuf field tables, from two local sources of facts:
#  - the protobuf descriptors every Go Kubernetes client embeds (gzipped FileDescriptorProtos in
#    the kubectl binary): field numbers, wire types, map entries, and gogoproto `nullable=false`
#    (absent means the Go field is a pointer);
#  - kubernetes-types' .d.ts files: a property without `?` is required in upstream's OpenAPI,
#    which means its Go field has no omitempty, so its JSON always shows it.
# Usage: python3 src/api/protobuf/generate-schemas.py [kubectl binary]   (run from the repo root)
# Dev-only; needs nothing beyond the Python standard library.
import json, os, re, sys, zlib

KUBECTL = sys.argv[1] if len(sys.argv) > 1 else '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
KT = 'node_modules/kubernetes-types'
OUT_DIR = 'src/api/protobuf/schemas'

def embedded_descriptors(path):
    """Every gzipped FileDescriptorProto in the binary, by .proto file name."""
    data = open(path, 'rb').read()
    out = {}
    for m in re.finditer(rb'\x1f\x8b\x08\x00\x00\x00\x00\x00', data):
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[m.start():m.start() + 2000000])
        except Exception:
            continue
        if len(raw) > 2 and raw[0] == 0x0a and raw[2:2 + raw[1]].endswith(b'.proto'):
            out[raw[2:2 + raw[1]].decode()] = raw
    return out
descs = embedded_descriptors(KUBECTL)

def varint(b, i):
    r = 0; s = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7f) << s; s += 7
        if c < 0x80: return r, i
def fields(b):
    i = 0; out = []
    while i < len(b):
        k, i = varint(b, i); f, w = k >> 3, k & 7
        if w == 0: v, i = varint(b, i)
        elif w == 2:
            n, i = varint(b, i); v = b[i:i+n]; i += n
        elif w == 1: v = b[i:i+8]; i += 8
        elif w == 5: v = b[i:i+4]; i += 4
        else: raise Exception('wt %d' % w)
        out.append((f, w, v))
    return out
TYPES = {1:'double',2:'float',3:'int64',4:'uint64',5:'int32',8:'bool',9:'string',11:'message',12:'bytes',13:'uint32',14:'enum',17:'sint32',18:'sint64',6:'fixed64',7:'fixed32'}
def msg(b, prefix):
    name = None; flds = []; nested = []; opts = []
    for f, w, v in fields(b):
        if f == 1: name = v.decode()
        elif f == 2:
            fd = {}
            for ff, ww, vv in fields(v):
                if ff == 1: fd['name'] = vv.decode()
                elif ff == 3: fd['num'] = vv
                elif ff == 4: fd['label'] = vv
                elif ff == 5: fd['type'] = TYPES.get(vv, vv)
                elif ff == 6: fd['typeName'] = vv.decode()
                elif ff == 8: fd['opts'] = [(a, c if isinstance(c, int) else c.hex()) for a, _, c in fields(vv)]
                elif ff == 10: fd['json'] = vv.decode()
            flds.append(fd)
        elif f == 3: nested.append(v)
        elif f == 7: opts = [(a, c if isinstance(c, int) else c.hex()) for a, _, c in fields(v)]
    full = prefix + '.' + name
    res = [{'name': full, 'fields': flds, 'opts': opts}]
    for n in nested: res += msg(n, full)
    return res
allm = {}
for fname, raw in descs.items():
    pkg = ''
    for f, w, v in fields(raw):
        if f == 2: pkg = v.decode()
    for f, w, v in fields(raw):
        if f == 4:
            for m in msg(v, '.' + pkg): allm[m['name']] = dict(m, file=fname)
M = allm

PKGS = {  # proto package -> (namespace, kubernetes-types file, out file)
 'k8s.io.apimachinery.pkg.apis.meta.v1': ('meta/v1', 'meta/v1.d.ts', 'meta-v1'),
 'k8s.io.api.core.v1': ('core/v1', 'core/v1.d.ts', 'core-v1'),
 'k8s.io.api.apps.v1': ('apps/v1', 'apps/v1.d.ts', 'apps-v1'),
 'k8s.io.api.batch.v1': ('batch/v1', 'batch/v1.d.ts', 'batch-v1'),
 'k8s.io.api.autoscaling.v1': ('autoscaling/v1', 'autoscaling/v1.d.ts', 'autoscaling-v1'),
 'k8s.io.api.autoscaling.v2': ('autoscaling/v2', 'autoscaling/v2.d.ts', 'autoscaling-v2'),
 'k8s.io.api.policy.v1': ('policy/v1', 'policy/v1.d.ts', 'policy-v1'),
 'k8s.io.api.rbac.v1': ('rbac/v1', 'rbac/v1.d.ts', 'rbac-v1'),
 'k8s.io.api.scheduling.v1': ('scheduling/v1', 'scheduling/v1.d.ts', 'scheduling-v1'),
 'k8s.io.api.networking.v1': ('networking/v1', 'networking/v1.d.ts', 'networking-v1'),
 'k8s.io.api.authentication.v1': ('authentication/v1', 'authentication/v1.d.ts', 'authentication-v1'),
 'k8s.io.api.authorization.v1': ('authorization/v1', 'authorization/v1.d.ts', 'authorization-v1'),
 'k8s.io.api.certificates.v1': ('certificates/v1', 'certificates/v1.d.ts', 'certificates-v1'),
 'k8s.io.api.coordination.v1': ('coordination/v1', 'coordination/v1.d.ts', 'coordination-v1'),
 'k8s.io.api.events.v1': ('events/v1', 'events/v1.d.ts', 'events-v1'),
 'k8s.io.api.discovery.v1': ('discovery/v1', 'discovery/v1.d.ts', 'discovery-v1'),
}
ROOTS = {
 'core/v1': 'Pod PodTemplate ReplicationController ConfigMap Secret Service Namespace ServiceAccount ResourceQuota LimitRange PersistentVolumeClaim PersistentVolume Endpoints Event Binding Node'.split(),
 'meta/v1': ['DeleteOptions'],
 'apps/v1': 'Deployment ReplicaSet StatefulSet DaemonSet ControllerRevision'.split(),
 'batch/v1': ['Job', 'CronJob'],
 'autoscaling/v1': ['HorizontalPodAutoscaler', 'Scale'],
 'autoscaling/v2': ['HorizontalPodAutoscaler'],
 'policy/v1': ['PodDisruptionBudget', 'Eviction'],
 'rbac/v1': 'Role RoleBinding ClusterRole ClusterRoleBinding'.split(),
 'scheduling/v1': ['PriorityClass'],
 'networking/v1': 'Ingress IngressClass NetworkPolicy'.split(),
 'authentication/v1': ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
 'authorization/v1': 'SelfSubjectAccessReview SubjectAccessReview LocalSubjectAccessReview SelfSubjectRulesReview'.split(),
 'certificates/v1': ['CertificateSigningRequest'],
 'coordination/v1': ['Lease'],
 'events/v1': ['Event'],
 'discovery/v1': ['EndpointSlice'],
}
SPECIAL = {
 '.k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'time',
 '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'microtime',
 '.k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'duration',
 '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'intstr',
 '.k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
 '.k8s.io.apimachinery.pkg.runtime.RawExtension': 'rawjson',
 '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'rawjson',
 '.k8s.io.api.certificates.v1.ExtraValue': 'stringlist',
 '.k8s.io.api.authentication.v1.ExtraValue': 'stringlist',
 '.k8s.io.api.authorization.v1.ExtraValue': 'stringlist',
}
SCALARS = {'string','bool','int32','int64','double','bytes','uint32','uint64','float'}
# Fields documented +optional upstream but tagged without omitempty: emitted even when empty.
INLINE_HOST = {'ProbeHandler': 'Probe', 'VolumeSource': 'Volume', 'EphemeralContainerCommon': 'EphemeralContainer', 'IngressRuleValue': 'IngressRule', 'PersistentVolumeSource': 'PersistentVolumeSpec'}
NOT_OMITEMPTY = {'authorization/v1:ResourceRule.verbs', 'core/v1:LinuxContainerUser.uid', 'core/v1:LinuxContainerUser.gid', 'core/v1:ResourceStatus.name', 'core/v1:ResourceHealth.resourceID', 'rbac/v1:Role.rules', 'rbac/v1:ClusterRole.rules'}

def ts_required(tsfile):
    req = {}; cur = None
    for line in open(os.path.join(KT, tsfile)):
        mm = re.match(r'^export interface (\w+)', line)
        if mm: cur = req.setdefault(mm.group(1), {}); continue
        mm = re.match(r'^    (?:readonly )?(\w+)(\??):', line)
        if mm and cur is not None: cur[mm.group(1)] = mm.group(2) == ''
    return req
TS = {ns: ts_required(f) for ns, f, _ in PKGS.values()}

def split(full):
    pkg, name = full[1:].rsplit('.', 1)
    return pkg, name
def ns_of(full):
    pkg = full[1:]
    while pkg not in PKGS: pkg = pkg.rsplit('.', 1)[0]
    return PKGS[pkg][0], full[len(pkg)+2:]

used = {}  # full name -> True
def visit(full):
    if full in used or full in SPECIAL: return
    m = M[full]
    if any(o[0] == 7 for o in m['opts']): return  # map entry
    used[full] = True
    for f in m['fields']:
        if f['type'] == 'message': 
            t = f['typeName']
            if t in M and any(o[0] == 7 for o in M[t]['opts']):
                v = [x for x in M[t]['fields'] if x['num'] == 2][0]
                if v['type'] == 'message': visit(v['typeName'])
            else: visit(t)
for pkg, (ns, _, _) in PKGS.items():
    for r in ROOTS[ns]: visit('.' + pkg + '.' + r)

def type_ref(typeName, from_ns):
    if typeName in SPECIAL: return SPECIAL[typeName]
    ns, name = ns_of(typeName)
    return name if ns == from_ns else ns + ':' + name

warnings = []
def field_token(msg_full, f):
    ns, mname = ns_of(msg_full)
    req = TS[ns].get(INLINE_HOST.get(mname, mname))
    if req is None: warnings.append('no TS interface for ' + msg_full)
    name = f['name']
    opts = dict((o[0], o[1]) for o in (f.get('opts') or []))
    nullable = opts.get(65001, 1) != 0
    repeated = f['label'] == 3
    inline = False
    if req is not None and name not in req:
        alias = [k for k in req if k.lower() == name.lower()]
        if alias: name = alias[0]
    # An embedded Go struct (json:",inline") is named after its type and has no JSON key of its own.
    goname = bytes.fromhex(opts[65004]).decode() if 65004 in opts else ''
    if f['type'] == 'message' and not repeated and goname == f['typeName'].rsplit('.', 1)[1] and req is not None and name not in req:
        inline = True
    elif req is not None and name not in req:
        warnings.append(f'{ns}:{mname}.{name} not in TS')
    required = bool(req and req.get(name)) or f'{ns}:{mname}.{name}' in NOT_OMITEMPTY
    if f['type'] == 'message':
        t = f['typeName']
        if t in M and any(o[0] == 7 for o in M[t]['opts']):
            kf = [x for x in M[t]['fields'] if x['num'] == 1][0]; vf = [x for x in M[t]['fields'] if x['num'] == 2][0]
            assert kf['type'] == 'string', t
            vt = vf['typeName'] if vf['type'] == 'message' else vf['type']
            typ = 'map<' + (type_ref(vt, ns) if vf['type'] == 'message' else vt) + '>'
            mark = '!' if required else ''
        else:
            typ = type_ref(t, ns)
            if repeated: typ += '[]'; mark = '!' if required else ''
            else: mark = '!' if not nullable else ('!*' if required else '*')
    else:
        typ = f['type']; assert typ in SCALARS, typ
        if repeated: typ += '[]'; mark = '!' if required else ''
        # []byte is never a Go pointer: nil prints null, and omitempty drops it when empty.
        elif typ == 'bytes': mark = '!*' if required else ''
        elif nullable: mark = '!*' if required else '*'
        else: mark = '!' if required else ''
    return ('...' if inline else '') + f"{name}={f['num']}:{typ}{mark}"

by_ns = {}
for full in used:
    ns, name = ns_of(full)
    by_ns.setdefault(ns, []).append((name, full))
API_VERSION = {'core/v1': 'v1', 'meta/v1': 'meta.k8s.io/v1', 'apps/v1': 'apps/v1', 'batch/v1': 'batch/v1', 'autoscaling/v1': 'autoscaling/v1', 'autoscaling/v2': 'autoscaling/v2', 'policy/v1': 'policy/v1', 'rbac/v1': 'rbac.authorization.k8s.io/v1', 'scheduling/v1': 'scheduling.k8s.io/v1', 'networking/v1': 'networking.k8s.io/v1', 'authentication/v1': 'authentication.k8s.io/v1', 'authorization/v1': 'authorization.k8s.io/v1', 'certificates/v1': 'certificates.k8s.io/v1', 'coordination/v1': 'coordination.k8s.io/v1', 'events/v1': 'events.k8s.io/v1', 'discovery/v1': 'discovery.k8s.io/v1'}
def camel(out):
    a, b = out.split('-')
    return a + b[0].upper() + b[1:]
for pkg, (ns, _, out) in PKGS.items():
    items = sorted(by_ns.get(ns, []))
    lines = []
    for name, full in items:
        ns2, mname2 = ns_of(full)
        req2 = TS[ns2].get(mname2) or {}
        pnames = {f['name'].lower() for f in M[full]['fields']}
        for k in req2:
            if k.lower() not in pnames and k not in ('apiVersion', 'kind') and not any(f['name'] not in req2 and f['type']=='message' for f in M[full]['fields']):
                warnings.append(f'TS prop {ns2}:{mname2}.{k} not in proto')
        toks = [field_token(full, f) for f in sorted(M[full]['fields'], key=lambda x: x['num'])]
        lines.append(f"    {name}: '{' '.join(toks)}',")
    kinds = ', '.join(f"'{k}'" for k in ROOTS[ns])
    ts = f"""// Protobuf field table for {API_VERSION[ns]} ({pkg}). Generated by ../generate-schemas.py; notation in ../schema.ts.
import type {{ SchemaGroup }} from '../schema.js';

export const {camel(out)}: SchemaGroup = {{
  namespace: '{ns}',
  apiVersion: '{API_VERSION[ns]}',
  kinds: [{kinds}],
  messages: {{
""" + '\n'.join(lines) + "\n  },\n};\n"
    open(os.path.join(OUT_DIR, f'{out}.ts'), 'w').write(ts)
    print(f'{out}.ts: {len(items)} messages')
print('\n'.join('note: ' + w for w in sorted(set(warnings))))
