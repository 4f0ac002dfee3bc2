/*
 * it_distributed_cluster: three kconnect workers in distributed mode (sessioned protocol, the
 * default) form one Connect group on the test bed's cluster A over SASL_SSL + SCRAM-SHA-512 (the
 * group client's own TLS and SCRAM login included); 6 connectors x 3 tasks are created through the
 * three workers in turn (followers forward to the leader), spread with at most one task of
 * difference; a kill -9 of one worker moves its tasks to the others within
 * scheduled.rebalance.max.delay.ms + 10 s; its restart brings it back into the balance; a
 * VerifiableSource -> VerifiableSink pipeline running through all of it loses no record (counted
 * from the connectors' own output lines).
 */
#include "dist_cluster.h"

static void test_cluster_sessioned_scram(void)
{
    dc_result r;
    dc_scenario("it-dist", "sessioned", true, &r);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"three workers, sessioned, SASL_SSL + SCRAM: spread, forwarding, kill -9, rejoin, no loss",
         test_cluster_sessioned_scram},
        {NULL, NULL},
    };
    return kc_test_run("it_distributed_cluster", cases);
}
