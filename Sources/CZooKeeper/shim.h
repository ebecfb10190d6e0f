#ifndef ORCHESTRATOR_CZOOKEEPER_SHIM_H
#define ORCHESTRATOR_CZOOKEEPER_SHIM_H
/* The synchronous API (zoo_set, zoo_create) exists only in the multi-threaded library. */
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

/* Session events are not needed: every write opens its own short session and polls its state. */
static inline void orc_zk_ignore_event(zhandle_t *zh, int type, int state, const char *path, void *context) {
    (void)zh; (void)type; (void)state; (void)path; (void)context;
}

static inline zhandle_t *orc_zk_open(const char *hosts, int session_timeout_ms) {
    /* Silence the library (0 is below every level): it would print a line per reconnection
       attempt to a dead server; failures reach the caller as errors and are logged there. */
    zoo_set_debug_level((ZooLogLevel)0);
    return zookeeper_init(hosts, orc_zk_ignore_event, session_timeout_ms, 0, 0, 0);
}

static inline int orc_zk_is_connected(zhandle_t *zh) { return zoo_state(zh) == ZOO_CONNECTED_STATE; }

/* The library's world-open ACL, as orchestrator uses it (a global C variable Swift cannot share safely). */
static inline struct ACL_vector *orc_zk_open_acl(void) { return &ZOO_OPEN_ACL_UNSAFE; }

#endif
