package io.pgusers.plan;

import io.pgusers.core.Access;
import io.pgusers.core.UserName;

/**
 * A user to create: its name, its access, and its password as a SCRAM-SHA-256 verifier computed on the client.
 * {@code toString} leaves the verifier out.
 */
public record NewUser(UserName name, Access access, String verifier) {
    @Override
    public String toString() {
        return "NewUser[" + name + ", " + access.label() + "]";
    }
}
