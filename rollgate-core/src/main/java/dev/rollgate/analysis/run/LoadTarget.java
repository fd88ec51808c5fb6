package dev.rollgate.analysis.run;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a load metric sends its requests: the service's proxy, with the headers that route a
 * request to one revision whatever the weights; given by a platform whose proxy it is (the
 * embedded one).
 */
public interface LoadTarget {

    /** The header every load request carries, so that the service can tell Rollgate's load apart. */
    String HEADER = "X-Rollgate-Load";

    /** The proxy's address, e.g. http://127.0.0.1:8080. */
    URI base();

    /** Headers that send a request to {@code revision} (a template hash), {@link #HEADER} among them. */
    Map<String, String> headers(String revision);

    /** A file the spec names, relative to the spec's directory. */
    Path resolve(String file);
}
