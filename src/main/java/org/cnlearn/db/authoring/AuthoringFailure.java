package org.cnlearn.db.authoring;

/** A goal that cannot do what it was asked, in words for the person who asked: what, why, what to do. Nothing was written. */
public class AuthoringFailure extends RuntimeException {

    public AuthoringFailure(String message) {
        super(message);
    }

    public AuthoringFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
