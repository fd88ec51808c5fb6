package dev.rollgate.proxy;

import java.util.ArrayList;
import java.util.List;

/** A reader of a client's requests that keeps what it was told, for tests of the client side alone. */
class RecordingListener implements Client.Listener {

    Client client;
    final List<Object> read = new ArrayList<>();
    int readCompletes;
    int writabilityChanges;
    boolean inactive;

    @Override
    public void attached(Client client) {
        this.client = client;
    }

    @Override
    public void read(Object msg) {
        read.add(msg);
    }

    @Override
    public void readComplete() {
        readCompletes++;
    }

    @Override
    public void writabilityChanged() {
        writabilityChanges++;
    }

    @Override
    public void inactive() {
        inactive = true;
    }
}
