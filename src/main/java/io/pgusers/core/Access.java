package io.pgusers.core;

/** The two kinds of database user the platform offers. */
public enum Access {
    READ_WRITE("read-write"),
    READ_ONLY("read-only");

    private final String label;

    Access(String label) {
        this.label = label;
    }

    /** The name used in SQL template files ({@code sql/grants/<label>.sql}), the registry and messages. */
    public String label() {
        return label;
    }

    public static Access readOnly(boolean readOnly) {
        return readOnly ? READ_ONLY : READ_WRITE;
    }
}
