package dev.rollgate.proxy.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                                  | /
            /api/x?y=1                         | /api/x?y=1
            /public/../internal/secret         | /internal/secret
            /public/%2e%2e/internal/secret     | /internal/secret
            /public/%2E%2e/internal            | /internal
            /public/.%2e/internal              | /internal
            /a/./b/.                           | /a/b/
            /a/b/..                            | /a/
            /../../etc/passwd                  | /etc/passwd
            /..                                | /
            /api/../x                          | /x
            /a//b                              | /a//b
            /%41%7e%2F?q=../x                  | /A~%2F?q=../x
            /a/%2F/b                           | /a/%2F/b
            http://a.test/api/x?y=1            | /api/x?y=1
            http://a.test                      | /
            http://a.test?x                    | /?x
            /x#frag                            | /x
            *                                  | *
            """)
    void normalisesAsRfc3986RemovesDotSegments(String target, String expected) {
        assertThat(RequestTarget.normalise(target)).isEqualTo(new RequestTarget.Normalised(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /public/..%2finternal              | the request target has an encoded slash or backslash next to a dot-segment
            /public/..%2Finternal              | the request target has an encoded slash or backslash next to a dot-segment
            /public/%2e%2e%5cinternal          | the request target has an encoded slash or backslash next to a dot-segment
            /public/..\\internal               | the request target has an encoded slash or backslash next to a dot-segment
            /a/%zz                             | the request target has a malformed percent-encoding
            /a/%4                              | the request target has a malformed percent-encoding
            http://user:pw@a.test/x            | the request target carries a user name or password
            a.test/x                           | the request target is neither a path nor an absolute URL
            """)
    void refusesWhatWouldMeanSomethingElseBehindIt(String target, String reason) {
        assertThat(RequestTarget.normalise(target)).isEqualTo(new RequestTarget.Refused(reason));
    }
}
