/*
 * The transformation chain of a connector (Java's ConnectorConfig.transformationStages,
 * TransformationStage and TransformationChain) and the "enrichment" of a connector's ConfigDef with
 * the keys of its transforms and predicates (ConnectorConfig.enrich, REST spec §9.3 step 2, §12).
 *
 * Configuration (the connector's whole config, Java's names):
 *   transforms=a,b                      aliases, applied in this order (duplicates refused)
 *   transforms.a.type=<class or alias>  a transformation of the plugin registry
 *   transforms.a.plugin.version=<v>     optional version requirement (Maven range syntax)
 *   transforms.a.predicate=p            optional: apply only when predicate p is true ...
 *   transforms.a.negate=true            ... or false
 *   transforms.a.<key>=...              the transformation's own keys (prefix stripped)
 *   predicates=p                        aliases of predicates
 *   predicates.p.type / .plugin.version / .<key>
 * Each stage gets its own transformation instance and, when it names a predicate, its own predicate
 * instance (as in Java, two stages naming one predicate alias configure two instances).
 *
 * Errors are Java's texts, e.g. "Invalid value [a, a] for configuration transforms: Duplicate alias
 * provided.", "Invalid value null for configuration transforms.a.type: Not a Transformation",
 * "Invalid value Foo for configuration transforms.a.type: Class Foo could not be found.", "Class
 * class <cls> does not implement the Transformation interface", "Missing required configuration
 * \"transforms.a.fields\" which has no default value.", "Config 'transforms.a.negate' was provided
 * but there is no config 'transforms.a.predicate' defining a predicate to be negated.", a plugin's
 * own configure message ("No field insertion configured"), and for a predicate alias that
 * `predicates` does not define: "Unknown configuration 'predicates.p.plugin.version'" (Java's).
 *
 * Threads: a chain belongs to one task thread (built, used and freed there or handed over whole).
 * The enrichment is built and used on the caller's thread; its validators and recommenders read the
 * plugin registry, which is read-only once workers run.
 * Memory: _new returns an object the caller frees with the matching _free (NULL is accepted).
 */
#ifndef KC_WORKER_TRANSFORMATION_CHAIN_H
#define KC_WORKER_TRANSFORMATION_CHAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "connect/api/error.h"
#include "connect/api/record.h"
#include "connect/config/config_def.h"
#include "connect/config/properties.h"

typedef struct kc_transformation_chain kc_transformation_chain;

/* Builds the chain of connector_config (read only during the call): the transforms / predicates
 * keys and every enriched key are parsed and validated first (Java's ConnectorConfig), then each
 * stage's plugins are created and configured. An empty `transforms` gives an empty chain (apply
 * returns the record unchanged). NULL with err (KC_ERR_INVALID for a bad configuration). */
kc_transformation_chain *kc_transformation_chain_new(const kc_props *connector_config, kc_error *err);

/* Applies the stages in order (kc_transform_plugin.apply's contract for the whole chain): returns
 * the transformed record (maybe the same pointer); NULL with err->code == KC_ERR_NONE when a stage
 * dropped it; NULL with err set when a predicate or transformation failed. The input record is
 * taken in every case (freed when NULL is returned). */
kc_record *kc_transformation_chain_apply(kc_transformation_chain *chain, kc_record *record, kc_error *err);

/* The number of stages. */
size_t kc_transformation_chain_size(const kc_transformation_chain *chain);

/* The class name of the transformation of stage i (borrowed, static); NULL when out of range. */
const char *kc_transformation_chain_stage_class(const kc_transformation_chain *chain, size_t i);

/* After apply returned NULL with an error: the class name of the failing stage's transformation
 * (what Java's error reporter names: "Executing stage 'TRANSFORMATION' with class '<cls>'").
 * Borrowed, static; NULL when the last apply did not fail. */
const char *kc_transformation_chain_failed_class(const kc_transformation_chain *chain);

void kc_transformation_chain_free(kc_transformation_chain *chain);

/* ---- ConfigDef enrichment (REST validate) --------------------------------------------------------- */

typedef struct kc_transforms_enrichment kc_transforms_enrichment;

/* ConnectorConfig.enrich(plugins, base, connector_config, requireFullConfig): the extra keys of
 * every alias in `transforms` then in `predicates` (duplicates counted once), in Java's order:
 *   <kind>s.<alias>.type            CLASS, required, HIGH, group "Transforms: <alias>" /
 *                                   "Predicates: <alias>", order 0, width LONG, display
 *                                   "Transformation type for <alias>" / "Predicate type for <alias>",
 *                                   recommended values: every registered transformation / predicate;
 *                                   its validator reports the negate rule, a class of the wrong kind,
 *                                   an abstract class and a version that does not match
 *   <kind>s.<alias>.plugin.version  STRING, default the plugin's version when the type resolves (and
 *                                   connector.class is set), else null; order 1
 *   then, when the type resolves to a plugin of the right kind (and connector.class is set), the
 *   plugin's own keys prefixed (for transformations together with the implicit `predicate`
 *   (STRING, null) and `negate` (BOOLEAN, false)), sorted as Java's ConfigDef.embed sorts them,
 *   orders 2, 3, ...; their validators see the unprefixed name, as Java's embedded validators do.
 * With require_full (the worker's start-up parse), a type that is missing, unknown, of the wrong
 * kind or of an unmatched version is an error (NULL with err, Java's message); without it (REST
 * validation) the alias simply gets no plugin keys and the validators report the problem.
 * The enrichment copies connector_config. NULL with err. */
kc_transforms_enrichment *kc_transforms_enrichment_new(const kc_props *connector_config, bool require_full,
                                                       kc_error *err);

/* The extra keys as one table, to pass to kc_config_def_new after the base tables. Borrowed: the
 * keys, their strings, validators and recommenders belong to e, so free every kc_config_def built
 * from the table (and its parsed values / validations) before e. */
kc_config_table kc_transforms_enrichment_table(const kc_transforms_enrichment *e);

void kc_transforms_enrichment_free(kc_transforms_enrichment *e);

/* A kc_config_def_opts.class_exists for defs holding these keys (and converter classes): 1 when
 * name is a registered plugin of any kind or a converter (class name or alias) or an abstract built-in family
 * (org.apache.kafka.connect.transforms.InsertField ...), as Java's class loader would find it. */
int kc_transforms_class_exists(const char *name, void *opaque);

#endif
