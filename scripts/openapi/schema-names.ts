// Maps kubernetes-models' identifiers to the definition names upstream's OpenAPI uses,
// e.g. IoK8sApiAppsV1DeploymentStrategy -> io.k8s.api.apps.v1.DeploymentStrategy.
// kubernetes-models derives its names from upstream's by camel-casing every dotted part,
// so the mapping only has to undo that (the package folders are single lower-case words).

/** Prefixes whose dotted form cannot be recovered by lower-casing (they contain dashes). */
const FIXED_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['IoK8sApiextensionsApiserverPkgApis', 'io.k8s.apiextensions-apiserver.pkg.apis.'],
  ['IoK8sKubeAggregatorPkgApis', 'io.k8s.kube-aggregator.pkg.apis.'],
  ['IoK8sApimachineryPkgApisMetaV1', 'io.k8s.apimachinery.pkg.apis.meta.v1.'],
  ['IoK8sApimachineryPkgApiResource', 'io.k8s.apimachinery.pkg.api.resource.'],
  ['IoK8sApimachineryPkgUtilIntstr', 'io.k8s.apimachinery.pkg.util.intstr.'],
  ['IoK8sApimachineryPkgRuntime', 'io.k8s.apimachinery.pkg.runtime.'],
  ['IoK8sApimachineryPkgVersion', 'io.k8s.apimachinery.pkg.version.'],
];

/** "<Package><Version><Kind>": package is one capitalised word, version is v1, v2beta1, v1alpha3... */
const PACKAGE_VERSION_KIND = /^([A-Z][a-z]+)(V\d+(?:alpha\d+|beta\d+)?)([A-Z][A-Za-z0-9]*)$/;

/**
 * Upstream definition name for a kubernetes-models type name (with or without the
 * leading "I" of its interface), or undefined when the name is not a Kubernetes type.
 */
export function upstreamSchemaName(modelsName: string): string | undefined {
  const name = modelsName.startsWith('IIoK8s') ? modelsName.slice(1) : modelsName;
  for (const [prefix, dotted] of FIXED_PREFIXES) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    // apiextensions / apiregistration still carry "<Package><Version>" after the prefix.
    if (dotted.endsWith('.pkg.apis.')) {
      const match = PACKAGE_VERSION_KIND.exec(rest);
      if (!match) return undefined;
      return `${dotted}${match[1]!.toLowerCase()}.${match[2]!.toLowerCase()}.${match[3]!}`;
    }
    return dotted + rest;
  }
  if (name.startsWith('IoK8sApi')) {
    const match = PACKAGE_VERSION_KIND.exec(name.slice('IoK8sApi'.length));
    if (!match) return undefined;
    return `io.k8s.api.${match[1]!.toLowerCase()}.${match[2]!.toLowerCase()}.${match[3]!}`;
  }
  return undefined;
}
