package io.pgusers.inspect;

/** The role the agent is logged in as, and the server's version. */
public record AgentRole(String name, boolean superuser, int serverVersionNum) {

    public int serverMajorVersion() {
        return serverVersionNum / 10000;
    }
}
